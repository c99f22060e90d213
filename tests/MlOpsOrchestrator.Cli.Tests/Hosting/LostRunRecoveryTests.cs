using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Cli.Hosting;
using MlOpsOrchestrator.Cli.Tests.Api;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>
/// Finding the runs nobody will execute (created, then the process died before queuing them) against a real run
/// store: only pending, unowned runs untouched for longer than the setting are queued again, once per period.
/// </summary>
[TestFixture]
public sealed class LostRunRecoveryTests
{
    private static readonly LostRunSettings Settings = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2));

    private string _home = null!;
    private StorageSet _storage = null!;
    private ServiceProvider _services = null!;
    private ManualTime _time = null!;
    private Dispatched _dispatcher = null!;
    private LostRunRecovery _recovery = null!;

    [SetUp]
    public async Task SetUp()
    {
        _home = Directory.CreateTempSubdirectory("mlops-lost-runs-").FullName;
        _storage = await MlOpsStorage.OpenSqliteAsync(_home, CancellationToken.None);
        _services = new ServiceCollection().AddSingleton(_storage.Runs).BuildServiceProvider();
        _time = new ManualTime();
        _dispatcher = new Dispatched();
        _recovery = new LostRunRecovery(_services, _dispatcher, Settings, _time, NullLogger<LostRunRecovery>.Instance);
    }

    [TearDown]
    public async Task TearDown()
    {
        _recovery.Dispose();
        await _services.DisposeAsync();
        await _storage.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Test]
    public async Task Sweep_PendingUnownedRunUntouchedLongEnough_IsQueuedAgainOncePerPeriod()
    {
        var lost = await CreateAsync("lost", RunStatus.Pending);
        var fresh = await CreateAsync("fresh", RunStatus.Pending, createdAgo: TimeSpan.FromSeconds(30));
        var waiting = await CreateAsync("waiting", RunStatus.Pending, heartbeatAgo: TimeSpan.FromSeconds(1));
        var running = await CreateAsync("running", RunStatus.Running, owner: "host:1:abc", heartbeatAgo: TimeSpan.FromSeconds(1));
        await CreateAsync("done", RunStatus.Succeeded);

        var first = await _recovery.SweepAsync(CancellationToken.None);
        var again = await _recovery.SweepAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(3));
        await _storage.RunExecution.HeartbeatAsync(running, "host:1:abc", _time.GetUtcNow(), CancellationToken.None); // its executor lives on
        var later = await _recovery.SweepAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo(new[] { lost }), "only the pending run untouched for over 2 minutes");
            Assert.That(again, Is.Empty, "not queued twice within the period");
            Assert.That(later, Is.EquivalentTo(new[] { lost, fresh, waiting }), "still pending 3 minutes on: all three count as lost now");
            Assert.That(_dispatcher.Queued, Is.EqualTo(first.Concat(later)), "each run found was queued, nothing else");
        }
    }

    /// <summary>
    /// Found by restarting PostgreSQL under a 2 s cron: an execution that failed on a database error while its process
    /// lived on left its run <c>running</c> with a heartbeat that stopped, and nothing ever executed it again.
    /// </summary>
    [Test]
    public async Task Sweep_RunningRunWhoseExecutorStoppedBeating_IsQueuedAgain_ALiveOneIsNot()
    {
        var stopped = await CreateAsync("stopped", RunStatus.Running, owner: $"{RunLiveness.LocalOwner}:0f2944cb", heartbeatAgo: TimeSpan.FromMinutes(3));
        var beating = await CreateAsync("beating", RunStatus.Running, owner: $"{RunLiveness.LocalOwner}:1a2b3c4d", heartbeatAgo: TimeSpan.FromSeconds(2));
        var quiet = await CreateAsync("quiet", RunStatus.Running, owner: $"{RunLiveness.LocalOwner}:5e6f7a8b", heartbeatAgo: TimeSpan.FromSeconds(40));

        var found = await _recovery.SweepAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found, Is.EqualTo(new[] { stopped }), "queued again: silent for longer than twice the heartbeat's limit");
            Assert.That(found, Does.Not.Contain(beating).And.Not.Contain(quiet), "a beating run, or one silent for less than twice the heartbeat's limit, is left to its executor");
            Assert.That(_dispatcher.Queued, Is.EqualTo(new[] { stopped }));
        }
    }

    /// <summary>
    /// A running run is watched by its heartbeat: once its executor has been silent for twice the heartbeat's limit it
    /// is queued again, without waiting the 2 minutes a pending run is given (which may only be waiting for a worker).
    /// </summary>
    [Test]
    public async Task Sweep_RunningRunSilentForTwiceTheHeartbeatLimit_IsQueuedBeforeAPendingRunOfTheSameAge()
    {
        var silent = RunLiveness.StaleAfter * 2 + TimeSpan.FromSeconds(10);
        var running = await CreateAsync("silent", RunStatus.Running, createdAgo: silent, owner: $"{RunLiveness.LocalOwner}:0a0b0c0d", heartbeatAgo: silent);
        var pending = await CreateAsync("young", RunStatus.Pending, createdAgo: silent);

        var found = await _recovery.SweepAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(silent, Is.LessThan(Settings.After), "younger than a pending run's limit");
            Assert.That(found, Is.EqualTo(new[] { running }), "the silent running run only");
            Assert.That(found, Does.Not.Contain(pending));
        }
    }

    private async Task<string> CreateAsync(
        string id, RunStatus status, TimeSpan? createdAgo = null, string? owner = null, TimeSpan? heartbeatAgo = null)
    {
        var now = _time.GetUtcNow();
        var (run, _) = await _storage.Runs.CreateAsync(new RunRecord
        {
            RunId = $"bikes-{id}",
            Pipeline = "bikes",
            PipelineVersion = "v",
            PipelineFile = "bikes.yaml",
            PipelineYaml = "version: 1",
            Trigger = "manual",
            Mode = RunMode.Full,
            Level = 4,
            CreatedAt = now - (createdAgo ?? TimeSpan.FromMinutes(5)),
        }, [], CancellationToken.None);
        await _storage.RunExecution.CommitAsync(null, [], run with
        {
            Status = status,
            Owner = owner,
            HeartbeatAt = heartbeatAgo is { } ago ? now - ago : null,
            FinishedAt = status == RunStatus.Succeeded ? now - TimeSpan.FromMinutes(4) : null,
        }, CancellationToken.None);
        return run.RunId;
    }

    private sealed class Dispatched : IRunDispatcher
    {
        public List<string> Queued { get; } = [];

        public Task<string> EnqueueAsync(RunRecord run, CancellationToken ct)
        {
            Queued.Add(run.RunId);
            return Task.FromResult($"job-{Queued.Count}");
        }
    }
}
