using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.Tests.Monitoring.Support;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Monitoring;

/// <summary>
/// The retrain step against the real run starter and the SQLite run store: the step runs inside a run that is itself
/// running (as under the run executor), after a monitor step whose verdict the test sets.
/// </summary>
[TestFixture]
public sealed class RetrainExecutorTests
{
    private MonitoringHarness _harness = null!;
    private RunStartHarness _runs = null!;

    [SetUp]
    public async Task SetUp()
    {
        _harness = new MonitoringHarness();
        _runs = await RunStartHarness.OpenAsync(_harness.Clock);
        _harness.Starter = _runs.Starter;
        BikeCsv.Write(_harness.PathOf(BikePipeline.File), BikeCsv.Rows(BikeCsv.Start, 48));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _runs.DisposeAsync();
        _harness.Dispose();
    }

    [TestCase(MonitorVerdict.Drift)]
    [TestCase(MonitorVerdict.Performance)]
    public async Task ExecuteAsync_VerdictToRetrain_StartsOneRunThroughTheOnDriftTrigger(MonitorVerdict verdict)
    {
        var firing = await StartAsync(BikePipeline.Yaml(), verdict);

        var outcome = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        var queued = _runs.Dispatcher.Queued.Single();
        Assert.That(outcome.Retrain().StartedRun, Is.EqualTo(queued.RunId));
        Assert.That(outcome.Message, Is.EqualTo($"started run {queued.RunId} through trigger 'on-drift' (monitor 'monitor' says {StepOutputs.VerdictName(verdict)})"));
        Assert.That(queued.Trigger, Is.EqualTo("on-drift"));
        Assert.That(queued.Mode, Is.EqualTo(RunMode.Full), "the trigger's mode");
        Assert.That(queued.IdempotencyKey, Is.EqualTo($"bikes|on-drift|retrain-of|{firing.RunId}"));
        Assert.That(queued.PipelineYaml, Is.EqualTo(firing.PipelineYaml));
        Assert.That((await _runs.RunsAsync("bikes")).Select(r => r.RunId), Is.EquivalentTo(new[] { firing.RunId, queued.RunId }));
    }

    [Test]
    public async Task ExecuteAsync_ExecutedAgainAfterACrash_FindsTheRunItStartedInsteadOfASecond()
    {
        var firing = await StartAsync(BikePipeline.Yaml(), MonitorVerdict.Drift);

        var first = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");
        var again = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(again.Status, Is.EqualTo(StepStatus.Succeeded), again.Message);
        Assert.That(again.Retrain().StartedRun, Is.EqualTo(first.Retrain().StartedRun));
        Assert.That(again.Message, Does.StartWith($"had already started run {first.Retrain().StartedRun}"));
        // Still pending, the run is queued again (the crash may have come between storing and queuing it): the same
        // run, never a second one.
        Assert.That(_runs.Dispatcher.Queued.Select(r => r.RunId).Distinct(), Is.EqualTo(new[] { first.Retrain().StartedRun }));
        Assert.That((await _runs.RunsAsync("bikes")).Count(r => r.Trigger == "on-drift"), Is.EqualTo(1));
        Assert.That((await _runs.RunsAsync("bikes")).Select(r => r.RunId), Does.Contain(firing.RunId));
    }

    [Test]
    public async Task ExecuteAsync_VerdictOk_StartsNothing()
    {
        await StartAsync(BikePipeline.Yaml(), MonitorVerdict.Ok);

        var outcome = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded));
        Assert.That(outcome.Result, Is.Not.InstanceOf<RetrainResult>());
        Assert.That(outcome.Message, Is.EqualTo("no drift: nothing to retrain (monitor 'monitor' says ok)"));
        Assert.That(_runs.Dispatcher.Queued, Is.Empty);
        Assert.That(await _runs.RunsAsync("bikes"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ExecuteAsync_WhenAlways_StartsEvenWithoutDrift()
    {
        await StartAsync(BikePipeline.Yaml(when: "always"), MonitorVerdict.Ok);

        var outcome = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Retrain().StartedRun, Is.EqualTo(_runs.Dispatcher.Queued.Single().RunId));
    }

    [Test]
    public async Task ExecuteAsync_RunIsItselfTheRetrain_SkipsInsteadOfRetrainingAgain()
    {
        await StartAsync(BikePipeline.Yaml(), MonitorVerdict.Drift);

        var outcome = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain", c => c with { Run = c.Run with { Trigger = "on-drift" } });

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Skipped));
        Assert.That(outcome.Message, Does.StartWith("this run was started by trigger 'on-drift' (it is the retrain)"));
        Assert.That(_runs.Dispatcher.Queued, Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_ConcurrencySkipWhileOnlyTheFiringRunIsActive_StartsTheRetrain()
    {
        // The run firing the trigger is still active, but it asked for the retrain: it does not count against
        // 'concurrency: skip', or a level-4 pipeline under the default policy could never retrain.
        var firing = await StartAsync(BikePipeline.Yaml(concurrency: "skip"), MonitorVerdict.Drift);

        var outcome = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(_runs.Dispatcher.Queued.Single().IdempotencyKey, Is.EqualTo($"bikes|on-drift|retrain-of|{firing.RunId}"));
    }

    [TestCase("2025-08-31T23:00:00Z", Description = "the newest row monitored is the newest the model was trained on")]
    [TestCase("2025-08-30T10:00:00Z", Description = "the data was replayed from further back")]
    public async Task ExecuteAsync_ProductionTrainedFromScratchOnEveryRowMonitored_StartsNothingAndSaysWhy(string windowEnd)
    {
        await RegisterProductionAsync(dataThrough: "2025-08-31T23:00:00Z");
        await StartAsync(BikePipeline.Yaml(), MonitorVerdict.Drift, windowEnd);

        var outcome = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(_runs.Dispatcher.Queued, Is.Empty, "a retrain on the same rows would learn the same model");
        Assert.That(outcome.Result, Is.Not.InstanceOf<RetrainResult>());
        Assert.That(outcome.Message, Does.StartWith("bikes v1 was trained from scratch on data through 2025-08-31 23:00:00Z, and the newest row monitored is ")
            .And.Contain("a retrain would learn from the same rows, so none was started (monitor 'monitor' says drift)")
            .And.Contain("--trigger on-drift"));
    }

    [Test]
    public async Task ExecuteAsync_NewerRowsThanProductionWasTrainedOn_StartsTheRetrain()
    {
        await RegisterProductionAsync(dataThrough: "2025-08-31T23:00:00Z");
        await StartAsync(BikePipeline.Yaml(), MonitorVerdict.Drift, "2025-09-01T00:00:00Z");

        var outcome = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(outcome.Retrain().StartedRun, Is.EqualTo(_runs.Dispatcher.Queued.Single().RunId), outcome.Message);
    }

    [Test]
    public async Task ExecuteAsync_ProductionWarmStartedOnTheNewestRows_StartsTheRetrainFromScratch()
    {
        // A warm start saw only its slice: training from scratch on all rows is a different model, even with no newer row.
        await RegisterProductionAsync(dataThrough: "2025-08-31T23:00:00Z", referenceVersion: "1");
        await StartAsync(BikePipeline.Yaml(), MonitorVerdict.Performance, "2025-08-31T23:00:00Z");

        var outcome = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(outcome.Retrain().StartedRun, Is.EqualTo(_runs.Dispatcher.Queued.Single().RunId), outcome.Message);
    }

    [Test]
    public async Task ExecuteAsync_DriftAnswered_StartsNothingAndSaysSo()
    {
        await StartAsync(BikePipeline.Yaml(), MonitorVerdict.Ok);
        _harness.Record("monitor", StepStatus.Succeeded, new MonitorResult
        {
            Verdict = MonitorVerdict.Ok, WindowRows = 336, WindowSource = WindowSource.Data, ModelVersion = 1, DriftAnswered = true,
        });

        var outcome = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(outcome.Message, Is.EqualTo("the drift is already answered by the production model: nothing to retrain (monitor 'monitor' says ok)"));
        Assert.That(_runs.Dispatcher.Queued, Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_DriftPersistsWithinTheCooldown_NoSecondRetrainUntilItHasPassed()
    {
        var yaml = BikePipeline.Yaml();
        await StartAsync(yaml, MonitorVerdict.Drift);
        var retrain = (await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain")).Retrain().StartedRun;

        _harness.Clock.Now += TimeSpan.FromMinutes(15);
        await StartAsync(yaml, MonitorVerdict.Drift);
        var cooling = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");
        var queuedWhileCooling = _runs.Dispatcher.Queued.Count;

        _harness.Clock.Now += TimeSpan.FromMinutes(46);
        await StartAsync(yaml, MonitorVerdict.Drift);
        var after = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.Multiple(() =>
        {
            Assert.That(cooling.Status, Is.EqualTo(StepStatus.Succeeded), cooling.Message);
            Assert.That(cooling.Result, Is.Not.InstanceOf<RetrainResult>());
            Assert.That(cooling.Message, Is.EqualTo($"run {retrain} retrained through trigger 'on-drift' at 2025-09-01 12:00:00Z, less than the cooldown of 1h ago; "
                + "no retrain was started. The first monitor after 2025-09-01 13:00:00Z retrains if the verdict holds (monitor 'monitor' says drift)"));
            Assert.That(queuedWhileCooling, Is.EqualTo(1), "one retrain in the cooldown");
            Assert.That(after.Retrain().StartedRun, Is.Not.EqualTo(retrain), after.Message);
            Assert.That(_runs.Dispatcher.Queued, Has.Count.EqualTo(2), "the drift persisted past the cooldown: retrained again");
        });
    }

    [Test]
    public async Task ExecuteAsync_ShorterCooldownSet_RetrainsAgainOnceItHasPassed()
    {
        var yaml = BikePipeline.Yaml().Replace("trigger: on-drift", "trigger: on-drift\n    cooldown: 10m", StringComparison.Ordinal);
        await StartAsync(yaml, MonitorVerdict.Drift);
        await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        _harness.Clock.Now += TimeSpan.FromMinutes(15);
        await StartAsync(yaml, MonitorVerdict.Drift);
        var second = await _harness.ExecuteAsync(_harness.NewRetrain(), "retrain");

        Assert.That(second.Result, Is.InstanceOf<RetrainResult>(), second.Message);
        Assert.That(_runs.Dispatcher.Queued, Has.Count.EqualTo(2));
    }

    /// <summary>Registers bikes v1 (v2 when warm-started from v1) under production, with the data it was trained through.</summary>
    private async Task RegisterProductionAsync(string dataThrough, string? referenceVersion = null)
    {
        var properties = new Dictionary<string, string> { [ModelProperties.DataThrough] = dataThrough };
        if (referenceVersion is not null)
        {
            await _harness.Registry.RegisterAsync(Version(new Dictionary<string, string>()), CancellationToken.None);
            properties[ModelProperties.ReferenceVersion] = referenceVersion;
        }

        var production = await _harness.Registry.RegisterAsync(Version(properties), CancellationToken.None);
        await _harness.Registry.MoveAliasAsync("bikes", "production", production.Version, "test", "test", _harness.Clock.GetUtcNow(), CancellationToken.None);

        ModelVersion Version(Dictionary<string, string> props) => new()
        {
            Name = "bikes",
            Version = 0,
            RunId = "run-0",
            StepId = "deploy",
            PipelineVersion = "p",
            DataHash = "",
            ArtifactPath = "runs/run-0/train/model.zip",
            Properties = props,
            CreatedAt = _harness.Clock.GetUtcNow(),
        };
    }

    /// <summary>Loads the pipeline, launches its run into the store as running, and records the monitor's verdict in it.</summary>
    private async Task<RunRecord> StartAsync(string yaml, MonitorVerdict verdict, string? windowEnd = null)
    {
        var definition = _harness.Load(yaml);
        var firing = await _runs.StartRunningAsync(definition, yaml);
        _harness.UseRun(firing);
        var result = new MonitorResult { Verdict = verdict, WindowRows = 336, WindowSource = WindowSource.Data, ModelVersion = 1 };
        if (windowEnd is not null)
        {
            var production = (await _harness.Registry.GetAliasesAsync("bikes", CancellationToken.None))["production"];
            result = result with { WindowEnd = DateTimeOffset.Parse(windowEnd, System.Globalization.CultureInfo.InvariantCulture), ModelVersion = production };
        }

        _harness.Record("monitor", StepStatus.Succeeded, result);
        return firing;
    }
}
