using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// A run is stored, then queued: two writes that a database restart can split. The starter tries the queue again over
/// a few seconds, and a second launch of the same fire queues a stored run that is still pending and unowned, so a
/// run is not left pending (and, under <c>concurrency: skip</c>, every fire of its pipeline skipped) until the
/// lost-run sweep finds it minutes later. Real SQLite run store; the queue is a stand-in that fails on command.
/// </summary>
[TestFixture]
public sealed class RunStarterQueueTests
{
    private static readonly string PipelineFile = RepositoryPaths.Combine("samples", "customer-churn", "pipeline.yaml");

    private string _home = null!;
    private StorageSet _storage = null!;
    private RunRequest _request = null!;

    [SetUp]
    public async Task SetUp()
    {
        _home = Directory.CreateTempSubdirectory("mlops-run-starter-").FullName;
        _storage = await MlOpsStorage.OpenSqliteAsync(_home, CancellationToken.None);
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = RepositoryPaths.Root }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        var (loaded, yaml) = loader.ReadFile(PipelineFile);
        Assert.That(loaded.Definition, Is.Not.Null, string.Join("; ", loaded.Errors));
        _request = new RunRequest { Definition = loaded.Definition!, Yaml = yaml!, IdempotencyKey = "fire-1" };
    }

    [TearDown]
    public async Task TearDown()
    {
        await _storage.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Test]
    public async Task QueueDownForTwoAttempts_TheRunIsQueuedOnceItIsBack()
    {
        var queue = new FailingDispatcher(failures: 2);

        var started = await Starter(queue).StartAsync(_request, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(started.Outcome, Is.EqualTo(StartOutcome.Queued));
            Assert.That(queue.Attempts, Is.EqualTo(3));
            Assert.That(queue.Queued, Is.EqualTo(new[] { started.Run.RunId }));
        });
    }

    [Test]
    public async Task QueueDownThroughEveryAttempt_TheErrorReachesTheCaller_AndTheSameFireQueuesTheStoredRunLater()
    {
        var down = new FailingDispatcher(failures: int.MaxValue);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Starter(down).StartAsync(_request, CancellationToken.None));
        Assert.That(down.Attempts, Is.EqualTo(RunStarter.EnqueueRetryDelays.Count + 1), "one attempt and one per retry delay");

        var stored = (await _storage.Runs.ListAsync(null, 10, CancellationToken.None)).Single();
        Assert.That(stored.Status, Is.EqualTo(RunStatus.Pending), "the run was stored before the queue failed");

        var back = new FailingDispatcher(failures: 0);
        var again = await Starter(back).StartAsync(_request, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(again.Outcome, Is.EqualTo(StartOutcome.AlreadyLaunched));
            Assert.That(again.Run.RunId, Is.EqualTo(stored.RunId));
            Assert.That(back.Queued, Is.EqualTo(new[] { stored.RunId }), "the stored, never-queued run is queued by the fire's second launch");
        });
    }

    [Test]
    public async Task SecondLaunchOfAFireWhoseRunEnded_QueuesNothing()
    {
        var queue = new FailingDispatcher(failures: 0);
        var started = await Starter(queue).StartAsync(_request, CancellationToken.None);
        var ended = started.Run with { Status = RunStatus.Succeeded, FinishedAt = DateTimeOffset.UtcNow };
        await _storage.RunExecution.CommitAsync(null, [], ended, CancellationToken.None);

        var again = await Starter(queue).StartAsync(_request, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(again.Outcome, Is.EqualTo(StartOutcome.AlreadyLaunched));
            Assert.That(queue.Queued, Is.EqualTo(new[] { started.Run.RunId }), "queued once, by the first launch only");
        });
    }

    /// <summary>
    /// Ticks a fail-over or restart delivers at once (CI saw three created within 10 ms, two of them executed side by
    /// side): under <c>concurrency: skip</c> one run starts and the others are recorded as skipped fires naming it.
    /// The clock holds the first three callers until all three are there, so without one gate per pipeline all of them
    /// would check for an active run before any had stored one.
    /// </summary>
    [Test]
    public async Task FiresArrivingTogether_UnderConcurrencySkip_OneRunStartsAndTheOthersAreSkipped()
    {
        var skip = _request.Definition with { Spec = _request.Definition.Spec with { Concurrency = Specs.ConcurrencyPolicy.Skip } };
        var queue = new FailingDispatcher(failures: 0);
        var starter = new RunStarter(new RunLauncher(_storage.Runs, TimeProvider.System), _storage.Runs, _storage.RunExecution, queue, new RendezvousClock(3));

        var results = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => Task.Run(() => starter.StartAsync(_request with { Definition = skip, IdempotencyKey = $"tick-{i}" }, CancellationToken.None))));

        var started = results.Where(r => r.Outcome == StartOutcome.Queued).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(started, Has.Count.EqualTo(1), string.Join("; ", results.Select(r => $"{r.Outcome} {r.Reason}")));
            Assert.That(queue.Queued, Has.Count.EqualTo(1), "one run queued");
            Assert.That(results.Where(r => r.Outcome == StartOutcome.Skipped).Select(r => r.Reason).ToList(), Has.Count.EqualTo(2).And.All.Contain($"run {started.FirstOrDefault()?.Run.RunId} is pending"));
        });
    }

    /// <summary>The system clock, except that each of its first <c>callers</c> readings waits (up to a second) until that many callers are reading it.</summary>
    private sealed class RendezvousClock(int callers) : TimeProvider
    {
        private int _arrived;

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Increment(ref _arrived) <= callers)
            {
                SpinWait.SpinUntil(() => Volatile.Read(ref _arrived) >= callers, TimeSpan.FromSeconds(1));
            }

            return System.GetUtcNow();
        }
    }

    private RunStarter Starter(IRunDispatcher dispatcher) =>
        new(new RunLauncher(_storage.Runs, TimeProvider.System), _storage.Runs, _storage.RunExecution, dispatcher, TimeProvider.System);

    /// <summary>Fails its first <c>failures</c> calls as a queue whose database is down would, then records the run ids.</summary>
    private sealed class FailingDispatcher(int failures) : IRunDispatcher
    {
        private readonly List<string> _queued = [];

        public int Attempts { get; private set; }

        public IReadOnlyList<string> Queued => _queued;

        public Task<string> EnqueueAsync(RunRecord run, CancellationToken ct)
        {
            Attempts++;
            if (Attempts <= failures)
            {
                throw new InvalidOperationException("the queue's database is not accepting connections");
            }

            _queued.Add(run.RunId);
            return Task.FromResult($"job-{_queued.Count}");
        }
    }
}
