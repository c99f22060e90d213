using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>The monitor's <c>reference</c> and the retrain's <c>cooldown</c>: defaults, values, and mistakes with their position.</summary>
public sealed partial class PipelineLoaderTests
{
    private static string WithMonitoring(string monitor, string retrain) => SampleYaml.Complete
        .Replace("    performance: { metric: rmse, max_increase: 0.2 }", "    performance: { metric: rmse, max_increase: 0.2 }" + monitor, StringComparison.Ordinal)
        .Replace("    trigger: on-drift", "    trigger: on-drift" + retrain, StringComparison.Ordinal);

    [Test]
    public void LoadFile_NoReferenceOrCooldown_TrainingDataAndOneHour()
    {
        var spec = _workspace.Load(SampleYaml.Complete).Definition!.Spec;

        Assert.That(((MonitorStep)spec.Step("monitor")!).Reference, Is.EqualTo(DriftReference.Training));
        Assert.That(((RetrainStep)spec.Step("retrain")!).Cooldown, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [TestCase("training", DriftReference.Training)]
    [TestCase("previous_window", DriftReference.PreviousWindow)]
    [TestCase("same_period", DriftReference.SamePeriod)]
    public void LoadFile_Reference_Read(string text, DriftReference expected)
    {
        var result = _workspace.Load(WithMonitoring($"\n    reference: {text}", "\n    cooldown: 6h"));

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(((MonitorStep)result.Definition!.Spec.Step("monitor")!).Reference, Is.EqualTo(expected));
        Assert.That(((RetrainStep)result.Definition.Spec.Step("retrain")!).Cooldown, Is.EqualTo(TimeSpan.FromHours(6)));
    }

    [Test]
    public void LoadFile_BadReferenceAndCooldown_ErrorsAtTheirPositions()
    {
        var errors = _workspace.Load(WithMonitoring("\n    reference: same_periods", "\n    cooldown: soon")).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Has.Some.Match(@"^pipeline\.yaml:\d+:16: error: steps\[4\]\.reference: .*'same_periods'.*did you mean 'same_period'\?"), string.Join("\n", errors));
        Assert.That(errors, Has.Some.Match(@"^pipeline\.yaml:\d+:15: error: steps\[5\]\.cooldown: invalid duration 'soon'"), string.Join("\n", errors));
    }

    [Test]
    public void LoadFile_CooldownOnAMonitorStep_UnknownKeySaysWhereItBelongs()
    {
        var errors = _workspace.Load(WithMonitoring("\n    cooldown: 1h", "")).Errors.Select(e => e.ToString()).ToList();

        Assert.That(errors, Has.Some.Contain("steps[4].cooldown: unknown key 'cooldown'"), string.Join("\n", errors));
    }
}
