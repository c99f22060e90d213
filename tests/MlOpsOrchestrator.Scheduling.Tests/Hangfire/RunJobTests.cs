using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Storage;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Hangfire;

/// <summary>
/// The job's retry and take-over rules against real SQLite stores and the real executor, called as Hangfire calls it:
/// a job that finds the run owned by a live executor does nothing; shutdown interrupts the run and the next job
/// resumes it after its last finished step.
/// </summary>
[TestFixture]
public sealed class RunJobTests
{
    private ChurnWorld _world = null!;
    private StorageSet _storage = null!;
    private GatedTrainExecutor _train = null!;
    private RecordingDispatcher _dispatcher = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public async Task SetUp()
    {
        _world = await ChurnWorld.CreateAsync();
        _storage = await MlOpsStorage.OpenSqliteAsync(_world.Home, CancellationToken.None);
        _train = new GatedTrainExecutor(_storage);
        _dispatcher = new RecordingDispatcher();
        _services = new ServiceCollection().AddLogging().AddRunServices(_storage, _world, train: _train)
            .AddSingleton<IRunDispatcher>(_dispatcher).BuildServiceProvider();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _services.DisposeAsync();
        await _storage.DisposeAsync();
        _world.Dispose();
    }

    [Test]
    public async Task ExecuteAsync_RunOwnedByLiveExecutorElsewhere_EndsWithoutTouchingIt()
    {
        var run = await LaunchAsync(ChurnWorld.Auto);
        var now = DateTimeOffset.UtcNow;
        await _storage.RunExecution.CommitAsync(null, [], run with { Owner = "other-host:4242:cafe0000", HeartbeatAt = now }, CancellationToken.None);

        await NewJob().ExecuteAsync(run.RunId, CancellationToken.None);

        var after = await _storage.Runs.GetAsync(run.RunId, CancellationToken.None);
        var steps = await _storage.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(after!.Status, Is.EqualTo(RunStatus.Pending));
            Assert.That(after.Owner, Is.EqualTo("other-host:4242:cafe0000"), "the live owner keeps the run");
            Assert.That(steps.Select(s => s.Attempts), Is.All.EqualTo(0), "no step ran");
            Assert.That(_train.Calls, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_UnknownRun_EndsWithoutErrorSoHangfireDoesNotRetry()
    {
        await NewJob().ExecuteAsync("churn-auto-20260101-000000-dead", CancellationToken.None);
        Assert.That(await _storage.Runs.ListAsync(null, 10, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_ShutdownDuringStep_RunInterruptedAndNextJobResumesAfterLastFinishedStep()
    {
        var run = await LaunchAsync(ChurnWorld.Auto);
        using var shutdown = new CancellationTokenSource();
        var first = NewJob().ExecuteAsync(run.RunId, shutdown.Token);
        await _train.Started.WaitAsync(TimeSpan.FromSeconds(60));

        // A duplicate job of the same run in this process (same owner id, so the store's claim would let it in) stays out.
        await NewJob().ExecuteAsync(run.RunId, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(_train.Calls, Is.EqualTo(1), "the duplicate job did not execute the run a second time");

        await shutdown.CancelAsync();
        Assert.That(async () => await first, Throws.InstanceOf<OperationCanceledException>(), "Hangfire must see the cancellation to requeue the job");
        var interrupted = await _storage.Runs.GetAsync(run.RunId, CancellationToken.None);
        var cut = await _storage.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(interrupted!.Status, Is.EqualTo(RunStatus.Interrupted));
            Assert.That(interrupted.Owner, Is.Null, "the next worker may claim it at once");
            Assert.That(cut.Single(s => s.StepId == "prep").Status, Is.EqualTo(StepStatus.Succeeded));
            Assert.That(cut.Single(s => s.StepId == "train").Status, Is.EqualTo(StepStatus.Interrupted));
        });

        _train.Open();
        await NewJob().ExecuteAsync(run.RunId, CancellationToken.None);

        var resumed = await _storage.Runs.GetAsync(run.RunId, CancellationToken.None);
        var steps = (await _storage.Runs.GetStepsAsync(run.RunId, CancellationToken.None)).ToDictionary(s => s.StepId);
        Assert.Multiple(() =>
        {
            Assert.That(resumed!.Status, Is.EqualTo(RunStatus.Succeeded), resumed.Error);
            Assert.That(steps["prep"].Attempts, Is.EqualTo(1), "a finished step is never repeated");
            Assert.That(steps["train"].Attempts, Is.EqualTo(2), "the interrupted step runs again");
            Assert.That(steps.Values.Select(s => s.Status), Is.All.EqualTo(StepStatus.Succeeded));
            Assert.That(resumed.Model, Is.EqualTo(new ModelRef(ChurnWorld.Auto, 1)));
        });
    }

    [Test]
    public async Task ExecuteAsync_ConcurrencyQueueWithAnOlderRunUnfinished_WaitsPendingUntouchedAndRunsInItsTurn()
    {
        const string queued = "churn-queued";
        var yaml = _world.Catalog.Find(ChurnWorld.Auto)!.Yaml!.Replace($"name: {ChurnWorld.Auto}", $"name: {queued}\nconcurrency: queue", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(_world.PipelinesFolder, "queued.yaml"), yaml);
        _world.Catalog.Refresh();
        var older = await LaunchAsync(queued);
        await Task.Delay(20);
        var younger = await LaunchAsync(queued);

        // Bounded: were the younger run executed now, it would block in the gated train step.
        await NewJob().ExecuteAsync(younger.RunId, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var waiting = await _storage.Runs.GetAsync(younger.RunId, CancellationToken.None);
        var untouched = await _storage.Runs.GetStepsAsync(younger.RunId, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(waiting!.Status, Is.EqualTo(RunStatus.Pending), "not its turn: the older run has not finished");
            Assert.That(waiting.Owner, Is.Null, "any executor may take it when its turn comes");
            Assert.That(waiting.StartedAt, Is.Null);
            Assert.That(waiting.Error, Does.Contain($"waiting for run {older.RunId} (pending) to finish").And.Contain("concurrency: queue"));
            Assert.That(untouched.Select(s => (s.Status, s.Attempts)), Is.All.EqualTo((StepStatus.Pending, 0)), "nothing of it ran");
            Assert.That(_dispatcher.Queued, Is.EqualTo(new[] { younger.RunId }), "queued again to be checked later, no worker held meanwhile");
        }

        _train.Open();
        await NewJob().ExecuteAsync(older.RunId, CancellationToken.None);
        await NewJob().ExecuteAsync(younger.RunId, CancellationToken.None);

        var first = await _storage.Runs.GetAsync(older.RunId, CancellationToken.None);
        var second = await _storage.Runs.GetAsync(younger.RunId, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first!.Status, Is.EqualTo(RunStatus.Succeeded), first.Error);
            Assert.That(second!.Status, Is.EqualTo(RunStatus.Succeeded), second.Error);
            Assert.That(second.StartedAt, Is.GreaterThanOrEqualTo(first.FinishedAt!.Value), "the younger run started after the older one finished");
            Assert.That(second.Error, Is.Null, "the waiting note is cleared once it runs");
            Assert.That(_dispatcher.Queued, Has.Count.EqualTo(1), "in its turn it ran at once");
        }
    }

    private RunJob NewJob() => ActivatorUtilities.CreateInstance<RunJob>(_services);

    private sealed class RecordingDispatcher : IRunDispatcher
    {
        public List<string> Queued { get; } = [];

        public Task<string> EnqueueAsync(RunRecord run, CancellationToken ct)
        {
            Queued.Add(run.RunId);
            return Task.FromResult($"job-{Queued.Count}");
        }
    }

    private async Task<RunRecord> LaunchAsync(string pipeline)
    {
        var (run, created) = await _services.GetRequiredService<RunLauncher>().LaunchAsync(_world.Request(pipeline), CancellationToken.None);
        Assert.That(created, Is.True);
        return run;
    }
}
