using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Telemetry;

/// <summary>
/// A real <c>mlops serve</c> configured from the environment only: <c>MLOPS_LOG_LEVEL=warning</c> and
/// <c>MLOPS_LOG_FORMAT=json</c> make a run that fails its gate leave only warnings, one JSON object per console line
/// with its run id and trace id; <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> makes it push the run's metrics and spans to a
/// collector (a local stand-in).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class EnvironmentSwitchesTests
{
    private OtlpReceiver _otlp = null!;
    private TempFolder _folder = null!;
    private ServeProcess _serve = null!;
    private string _runId = null!;

    [OneTimeSetUp]
    public async Task RunAFailingPipeline()
    {
        _otlp = new OtlpReceiver();
        _folder = new TempFolder();
        var pipelines = TelemetryPipelines.Prepare(_folder);
        var environment = new Dictionary<string, string>
        {
            ["MLOPS_LOG_LEVEL"] = "warning",
            ["MLOPS_LOG_FORMAT"] = "json",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _otlp.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        };
        _serve = await ServeProcess.StartAsync("serve", _folder.Path, environment,
            "--home", _folder.Combine("home"), "--pipelines", pipelines, "--data-root", _folder.Path);
        TelemetryPipelines.Write(pipelines, TimeSpan.FromSeconds(10), TelemetryPipelines.Gate);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        IReadOnlyList<System.Text.Json.JsonElement> runs;
        while ((runs = await _serve.RunsAsync(TelemetryPipelines.Gate)).Count == 0)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{TelemetryPipelines.Gate} did not fire:\n{_serve.Output}");
            await Task.Delay(500);
        }

        _runId = runs[0].GetProperty("runId").GetString()!;
        await _serve.WaitForRunAsync(_runId, "failed", TimeSpan.FromMinutes(3));
        // The warning is written when the run ends; give the console a moment to deliver it.
        await _serve.Process.WaitForStderrAsync($"\"RunId\":\"{_runId}\"", TimeSpan.FromSeconds(10));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        _folder?.Dispose();
        _otlp?.Dispose();
    }

    [Test]
    public async Task Otlp_MetricsPushedWithTheRun()
    {
        var arrived = await _otlp.WaitForAsync("/v1/metrics", TimeSpan.FromSeconds(30),
            "MlOpsOrchestrator", "mlops_runs_total", "mlops_step_duration_seconds", "mlops_fire_lateness_seconds", TelemetryPipelines.Gate);
        Assert.That(arrived, Is.True, $"metrics pushed to {_otlp.Endpoint}/v1/metrics: {_otlp.Bodies("/v1/metrics").Count} requests");
    }

    [Test]
    public async Task Otlp_SpansOfTheFireTheJobTheRunAndItsSteps()
    {
        var arrived = await _otlp.WaitForAsync("/v1/traces", TimeSpan.FromSeconds(30),
            $"fire {TelemetryPipelines.Gate}/{TelemetryPipelines.Trigger}", $"job {_runId}", $"run {TelemetryPipelines.Gate}", "step prep", "step evaluate", _runId);
        Assert.That(arrived, Is.True, $"spans pushed to {_otlp.Endpoint}/v1/traces: {_otlp.Bodies("/v1/traces").Count} requests");
    }

    [Test]
    public void Console_JsonLinesAtWarningAndAbove()
    {
        var lines = _serve.Process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var events = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(events, Is.Not.Empty);
            // Compact JSON leaves @l out for Information: every line must name a level of Warning or above.
            Assert.That(events.Select(e => e["@l"]?.GetValue<string>()), Is.All.AnyOf("Warning", "Error", "Fatal"), _serve.Process.Stderr);
        });
    }

    [Test]
    public void FailedRun_WarningWithRunIdAndTraceId()
    {
        var ofRun = RunEvents(_serve.Process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var failed = ofRun.Where(e => e["@mt"]?.GetValue<string>() == "Run {RunId} {Status}{Error}").ToList();
        var stepFailed = ofRun.Where(e => e["@mt"]?.GetValue<string>().StartsWith("Step {StepId} {Status}", StringComparison.Ordinal) == true).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failed, Has.Count.EqualTo(1), _serve.Process.Stderr);
            Assert.That(failed[0]["@l"]?.GetValue<string>(), Is.EqualTo("Warning"));
            Assert.That(failed[0]["@tr"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "the run's trace id");
            Assert.That(stepFailed.Select(e => (e["StepId"]?.GetValue<string>(), e["@l"]?.GetValue<string>())), Is.EqualTo(new[] { ((string?)"evaluate", (string?)"Warning") }),
                "the failed gate is a warning; the steps that succeeded are not logged at this level");
            Assert.That(ofRun.Select(e => e["@tr"]?.GetValue<string>()).Distinct(), Has.Exactly(1).Items);
        });
    }

    [Test]
    public void LogFile_FollowsTheLevelToo()
    {
        var ofRun = RunEvents(LogFile.Lines(Path.Combine(_folder.Combine("home"), "logs")));
        Assert.Multiple(() =>
        {
            Assert.That(ofRun, Is.Not.Empty);
            Assert.That(ofRun.Where(e => e["@l"] is null), Is.Empty, "no Information event of the run (its start, its steps' success) is written");
        });
    }

    private List<JsonObject> RunEvents(IEnumerable<string> lines) =>
        lines.Select(l => JsonNode.Parse(l)!.AsObject()).Where(e => e["RunId"]?.GetValue<string>() == _runId).ToList();
}
