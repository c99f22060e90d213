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
        var stepFinished = ofRun.Where(e => e["@mt"]?.GetValue<string>() == "Run {RunId} step {StepId} {Status} in {Elapsed}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ofRun, Is.Not.Empty);
            Assert.That(stepFinished.Select(e => e["StepId"]!.GetValue<string>()), Is.SupersetOf(new[] { "prep", "train", "evaluate", "deploy" }));
            Assert.That(stepFinished.Select(e => e["Pipeline"]?.GetValue<string>()), Is.All.EqualTo(ServeHarness.Pipeline));
            Assert.That(events.Where(e => e["RequestPath"]?.GetValue<string>() == $"/api/runs/{story.RunId}"), Is.Not.Empty, "requests are logged");
        });
    }
}
