using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>The host's compact JSON log: every event of a run carries its run id (and step id inside a step); requests are logged.</summary>
public sealed class LoggingTests
{
    [Test]
    public async Task RunEvents_CarryRunIdPipelineAndStep()
    {
        var story = await ApprovedRunAsync();
        var events = LogFile.Lines(Serve.Settings.LogsFolder).Select(l => JsonNode.Parse(l)!).ToList();
        var ofRun = events.Where(e => e["RunId"]?.GetValue<string>() == story.RunId).ToList();
        var stepFinished = ofRun.Where(e => e["@mt"]?.GetValue<string>() == "Step {StepId} {Status} in {Elapsed}{Detail}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ofRun, Is.Not.Empty);
            Assert.That(stepFinished.Select(e => e["StepId"]!.GetValue<string>()), Is.SupersetOf(new[] { "prep", "train", "evaluate", "deploy" }));
            Assert.That(stepFinished.Select(e => e["Pipeline"]?.GetValue<string>()), Is.All.EqualTo(ServeHarness.Pipeline));
            Assert.That(events.Where(e => e["RequestPath"]?.GetValue<string>() == $"/api/runs/{story.RunId}"), Is.Not.Empty, "requests are logged");
        });
    }

    [Test]
    public async Task StepEvents_EachStepEndsOnce_AndTheTextLeavesTheRunIdToThePrefix()
    {
        var story = await ApprovedRunAsync();
        var events = LogFile.Lines(Serve.Settings.LogsFolder).Select(l => JsonNode.Parse(l)!).ToList();
        var ofSteps = events.Where(e => e["RunId"]?.GetValue<string>() == story.RunId && e["StepId"] is not null).ToList();
        var progress = ofSteps.Where(e => e["@mt"]?.GetValue<string>() == "Step {StepId}: {Message}").ToList();
        Assert.Multiple(() =>
        {
            foreach (var step in new[] { "prep", "train", "evaluate", "deploy" })
            {
                var ends = ofSteps.Count(e => e["StepId"]!.GetValue<string>() == step && e["@mt"]!.GetValue<string>().Contains("{Status}", StringComparison.Ordinal));
                Assert.That(ends, Is.EqualTo(1), $"step {step} ends once in the log");
            }

            Assert.That(progress, Is.Not.Empty, "the steps' progress is logged");
            Assert.That(progress.Select(e => e["Message"]!.GetValue<string>()), Has.None.Match(@"^(succeeded|failed|skipped) in "), "no progress line repeats a step's end");
            Assert.That(ofSteps.Select(e => e["@mt"]!.GetValue<string>()), Has.None.Contains("{RunId}"), "the console prefix shows the run id; the text does not repeat it");
        });
    }
}
