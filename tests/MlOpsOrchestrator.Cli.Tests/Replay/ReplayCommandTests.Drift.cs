using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Replay;

/// <summary>The policy's <c>on: drift</c> trigger in a replay: fired by its retrain step, as in production.</summary>
public sealed partial class ReplayCommandTests
{
    [Test]
    public async Task Replay_DriftInTheStream_RetrainStepStartsOnDriftRunsThatCount()
    {
        // The stream doubles its demand on day 7: a monitor after it sees drift and its retrain step starts a full run.
        var (result, json) = await ReplayJsonAsync("--baseline", "static");

        var policy = json["policy"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(policy["retrains"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1), result.Stderr);
            Assert.That(policy["runs"]!.GetValue<int>(), Is.GreaterThan(policy["retrains"]!.GetValue<int>()), "retrains are runs of the policy");
            Assert.That(json["baselines"]![0]!["runs"]!.GetValue<int>(), Is.EqualTo(1), "a baseline never retrains on drift");
        });
    }
}
