using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.Tests.Monitoring.Support;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Monitoring;

/// <summary>
/// The acceptance of continuous training: drift injected into the data by the product's generator is detected within
/// two monitor runs, and the retrain step starts a run through the pipeline's <c>on: drift</c> trigger. Real ML steps,
/// the real run starter over the SQLite run store; the runs are launched into that store and running, as under the
/// run executor.
/// </summary>
[TestFixture]
public sealed class ContinuousTrainingTests
{
    [Test]
    public async Task InjectedDrift_DetectedWithinTwoMonitorRuns_AndTheOnDriftTriggerStartsOneRetrainRun()
    {
        using var harness = new MonitoringHarness();
        await using var runs = await RunStartHarness.OpenAsync(harness.Clock);
        harness.Starter = runs.Starter;
        var driftAt = BikeCsv.Start.AddDays(60);
        var stream = BikeCsv.Rows(BikeCsv.Start, 74 * 24, driftAt);
        var data = harness.PathOf(BikePipeline.File);
        BikeCsv.Write(data, stream.Take(60 * 24));
        var yaml = BikePipeline.Yaml();
        var definition = harness.Load(yaml);

        // Run 1: the nightly run trains and deploys; its monitor sees data from before the drift.
        var nightly = await runs.StartRunningAsync(definition, yaml);
        harness.UseRun(nightly);
        await harness.TrainAndDeployAsync();
        var quiet = await harness.MonitorAsync();
        var nothing = await harness.ExecuteAsync(harness.NewRetrain(), "retrain");

        // Two weeks of drifted rows arrive; run 2 (say a 'watch' trigger running monitor and retrain) sees them.
        BikeCsv.Append(data, stream.Skip(60 * 24));
        harness.Clock.Now = harness.Clock.Now.AddDays(14);
        var watch = await runs.StartRunningAsync(definition, yaml);
        harness.UseRun(watch);
        var alarm = await harness.MonitorAsync();
        var retrain = await harness.ExecuteAsync(harness.NewRetrain(), "retrain");

        Assert.That(quiet.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Ok), quiet.Message);
        Assert.That(nothing.Result, Is.Not.InstanceOf<RetrainResult>());
        Assert.That(alarm.Monitor().Verdict, Is.Not.EqualTo(MonitorVerdict.Ok), alarm.Message);
        Assert.That(retrain.Status, Is.EqualTo(StepStatus.Succeeded), retrain.Message);
        var started = runs.Dispatcher.Queued.Single();
        Assert.That(retrain.Retrain().StartedRun, Is.EqualTo(started.RunId));
        Assert.That(started.Trigger, Is.EqualTo("on-drift"));
        Assert.That((await runs.RunsAsync("bikes")).Where(r => r.Trigger == "on-drift").Select(r => r.RunId), Is.EqualTo(new[] { started.RunId }));

        var verdicts = harness.Evaluations.Points.Where(p => p.Series is "verdict.drift" or "verdict.performance")
            .Select(p => (p.RunId, p.Series, p.Value)).ToList();
        Assert.That(verdicts, Is.EquivalentTo(new[]
        {
            (nightly.RunId, "verdict.drift", 0.0),
            (nightly.RunId, "verdict.performance", 0.0),
            (watch.RunId, "verdict.drift", 0.0),
            (watch.RunId, "verdict.performance", 1.0),
        }), "the verdicts are a time series per monitor run");
    }
}
