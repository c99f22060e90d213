using Microsoft.Data.Sqlite;
using MlOpsOrchestrator.Scheduling.Quartz;
using NUnit.Framework;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

/// <summary>
/// The embedded mode's durable schedule: Quartz on a SQLite file, read back across restarts of a real scheduler host
/// (the fire-and-catch-up behaviour on real processes is in the integration tests' fault suite).
/// </summary>
public sealed class SqliteScheduleStoreTests
{
    private const string Nightly = "0 0 3 * * ?";
    private static readonly TriggerKey Tick = new("churn/tick", "mlops");

    private PipelineFolder _folder = null!;
    private SchedulerNode? _node;

    private SchedulerSettings Settings => new() { SqlitePath = Path.Combine(_folder.Home, "schedule.db") };

    [SetUp]
    public void SetUp() => _folder = new PipelineFolder();

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Test]
    public async Task Restart_SameFolder_KeepsTheStoredTriggerUntouched()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));
        _node = await SchedulerNode.StartAsync(_folder, Settings);
        var next = (await (await _node.SchedulerAsync()).GetTrigger(Tick))!.NextFireTimeUtc;
        await _node.DisposeAsync();

        _node = await SchedulerNode.StartAsync(_folder, Settings, "restarted");

        var trigger = await (await _node.SchedulerAsync()).GetTrigger(Tick);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.Exists(Settings.SqlitePath), Is.True, "the schedule lives in the SQLite file");
            Assert.That(trigger?.NextFireTimeUtc, Is.EqualTo(next), "the trigger survived the restart as it was");
            Assert.That(_node.Logs.Matching("{Action} pipeline {Pipeline} trigger {Trigger}"), Is.Empty, "nothing was scheduled again");
        }
    }

    [Test]
    public async Task Start_TriggerLeftInErrorState_IsResetAndLoggedAsAWarning()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));
        _node = await SchedulerNode.StartAsync(_folder, Settings);
        await _node.DisposeAsync();
        // What Quartz writes when a fire cannot read its job back (the database restarting under it).
        await using (var connection = new SqliteConnection($"Data Source={Settings.SqlitePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand("UPDATE qrtz_triggers SET trigger_state = 'ERROR'", connection);
            Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        _node = await SchedulerNode.StartAsync(_folder, Settings, "restarted");

        var state = await (await _node.SchedulerAsync()).GetTriggerState(Tick);
        var reset = _node.Logs.Matching("Pipeline {Pipeline} trigger {Trigger} was in Quartz's ERROR state");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(state, Is.EqualTo(TriggerState.Normal), "the trigger fires again");
            Assert.That(reset.Select(e => (e.Level, Pipeline: e["Pipeline"])), Is.EqualTo(new[] { (Microsoft.Extensions.Logging.LogLevel.Warning, (string?)"churn") }));
        }
    }

    [Test]
    public async Task SecondNode_SameFile_IsRefusedWhileTheFirstRuns()
    {
        _folder.Write("churn", PipelineFolder.Pipeline("churn", Nightly));
        _node = await SchedulerNode.StartAsync(_folder, Settings);

        await using var second = await SchedulerNode.CreateAsync(_folder, Settings, "second");
        Assert.That(second.StartAsync, Throws.TypeOf<ScheduleStoreInUseException>().With.Message.Contains("--postgres"));
        Assert.That(await _node.ScheduleInfo.IsScheduledAsync("churn", "tick", CancellationToken.None), Is.True, "the first node is unaffected");
    }
}
