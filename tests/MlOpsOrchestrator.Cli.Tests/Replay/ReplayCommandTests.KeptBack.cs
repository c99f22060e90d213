using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Replay;

/// <summary>A baseline's scheduled full run is judged as a scheduled run: a candidate that fails only a relative gate is kept back, not a failure.</summary>
public sealed partial class ReplayCommandTests
{
    [Test]
    public async Task Replay_NightlyCandidateNotBetterThanProduction_KeptBackNotFailed()
    {
        // Production must not get worse at all: some nightly candidates are not better and are kept back.
        var yaml = ReplayData.Pipeline().Replace("    safety: false ", "    gates: { mae: { max_increase: 0 } }\n    safety: false ", StringComparison.Ordinal);
        Assert.That(yaml, Does.Contain("max_increase: 0"));
        _folder.Write("pipeline.yaml", yaml);

        var (result, json) = await ReplayJsonAsync("--baseline", NightlyFull);

        var nightly = json["baselines"]![0]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(nightly["deploys"]!.GetValue<int>(), Is.LessThan(nightly["runs"]!.GetValue<int>()), "some nightly candidates were kept back");
            Assert.That(nightly["failedRuns"]!.GetValue<int>(), Is.Zero, result.Stderr);
            Assert.That(json["policy"]!["failedRuns"]!.GetValue<int>(), Is.Zero, result.Stderr);
        });
    }
}
