using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Telemetry;

/// <summary>
/// A real <c>mlops serve</c> process runs two cron-fired pipelines (one succeeds, deploys and finds drift; one fails
/// its gate) and answers one prediction; then <c>/metrics</c> is scraped and every named metric is found with the
/// labels an operator's queries and alerts use. The same runs show the log switches and the trace across fire and job.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MetricsEndpointTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private TempFolder _folder = null!;
    private ServeProcess _serve = null!;
    private string _goodRun = null!;
    private string _gateRun = null!;
    private IReadOnlyList<PrometheusSample> _metrics = null!;

    [OneTimeSetUp]
    public async Task StartServeRunAndScrape()
    {
        _folder = new TempFolder();
        var pipelines = TelemetryPipelines.Prepare(_folder);
        // Serilog's own configuration, from the environment: Debug shows the (otherwise quiet) request lines of /metrics.
        _serve = await ServeProcess.StartAsync("serve", _folder.Path, new Dictionary<string, string> { ["Serilog__MinimumLevel__Default"] = "Debug" },
            "--home", _folder.Combine("home"), "--pipelines", pipelines, "--data-root", _folder.Path);
        TelemetryPipelines.Write(pipelines, TimeSpan.FromSeconds(12), TelemetryPipelines.Good, TelemetryPipelines.Gate);

        _goodRun = await EndedRunAsync(TelemetryPipelines.Good, "succeeded");
        _gateRun = await EndedRunAsync(TelemetryPipelines.Gate, "failed");
        using (var content = new StringContent(TelemetryPipelines.Row, Encoding.UTF8, "application/json"))
        using (var prediction = await _serve.Http.PostAsync(new Uri($"api/models/{TelemetryPipelines.Good}/predict", UriKind.Relative), content))
        {
            Assert.That(prediction.StatusCode, Is.EqualTo(HttpStatusCode.OK), await prediction.Content.ReadAsStringAsync());
        }

        using var scrape = await _serve.Http.GetAsync(new Uri("metrics", UriKind.Relative));
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        _metrics = PrometheusSample.Parse(text);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        _folder?.Dispose();
    }

    [Test]
    public void Runs_CountedByPipelineTriggerAndStatus()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Value("mlops_runs_total", ("pipeline", TelemetryPipelines.Good), ("trigger", "once"), ("status", "succeeded")), Is.EqualTo(1));
            Assert.That(Value("mlops_runs_total", ("pipeline", TelemetryPipelines.Gate), ("trigger", "once"), ("status", "failed")), Is.EqualTo(1));
            Assert.That(Value("mlops_run_duration_seconds_count", ("pipeline", TelemetryPipelines.Good), ("status", "succeeded")), Is.EqualTo(1));
            Assert.That(Value("mlops_run_duration_seconds_sum", ("pipeline", TelemetryPipelines.Good)), Is.GreaterThan(0));
            Assert.That(Find("mlops_run_duration_seconds_bucket", ("pipeline", TelemetryPipelines.Gate), ("le", "+Inf")), Is.Not.Empty);
        });
    }

    [Test]
    public void Steps_TimedByPipelineStepAndKind()
    {
        Assert.Multiple(() =>
        {
            foreach (var (step, kind) in new[] { ("prep", "data_prep"), ("train", "train"), ("evaluate", "evaluate"), ("deploy", "deploy"), ("monitor", "monitor") })
            {
                Assert.That(Value("mlops_step_duration_seconds_count", ("pipeline", TelemetryPipelines.Good), ("step", step), ("kind", kind), ("status", "succeeded")), Is.EqualTo(1), step);
            }

            Assert.That(Value("mlops_step_duration_seconds_count", ("pipeline", TelemetryPipelines.Gate), ("step", "evaluate"), ("kind", "evaluate"), ("status", "failed")), Is.EqualTo(1));
        });
    }

    [Test]
    public void Fires_LatenessPerPipelineAndTrigger()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Value("mlops_fire_lateness_seconds_count", ("pipeline", TelemetryPipelines.Good), ("trigger", "once")), Is.EqualTo(1));
            Assert.That(Value("mlops_fire_lateness_seconds_count", ("pipeline", TelemetryPipelines.Gate), ("trigger", "once")), Is.EqualTo(1));
        });
    }

    [Test]
    public void Waiting_ByReason()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Value("mlops_runs_waiting", ("reason", "queue")), Is.Zero);
            Assert.That(Value("mlops_runs_waiting", ("reason", "approval")), Is.Zero);
        });
    }

    [Test]
    public void ModelMetric_ProductionVersionWithItsRegisteredMetrics()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Value("mlops_model_metric", ("model", TelemetryPipelines.Good), ("version", "1"), ("alias", "production"), ("metric", "r_squared")), Is.GreaterThan(0.3));
            Assert.That(Value("mlops_model_metric", ("model", TelemetryPipelines.Good), ("version", "1"), ("alias", "production"), ("metric", "rmse")), Is.GreaterThan(0));
            Assert.That(Find("mlops_model_metric", ("model", TelemetryPipelines.Gate)), Is.Empty, "the gate kept tel-gate from registering a version");
        });
    }

    [Test]
    public void DriftScore_TheMonitoredColumnsOfTheModel()
    {
        // The monitor's window crosses from summer into autumn: season drifts far beyond the 0.2 threshold.
        Assert.Multiple(() =>
        {
            Assert.That(Value("mlops_drift_score", ("model", TelemetryPipelines.Good), ("column", "season"), ("method", "psi")), Is.GreaterThan(0.2));
            Assert.That(Find("mlops_drift_score", ("model", TelemetryPipelines.Good), ("column", "temp")), Is.Not.Empty);
        });
    }

    [Test]
    public void Predictions_CountedAndTimedByModelAliasAndStatus()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Value("mlops_predictions_total", ("model", TelemetryPipelines.Good), ("alias", "production"), ("status", "ok")), Is.EqualTo(1));
            Assert.That(Value("mlops_prediction_duration_seconds_count", ("model", TelemetryPipelines.Good), ("alias", "production"), ("status", "ok")), Is.EqualTo(1));
        });
    }

    [Test]
    public void EveryDocumentedMetric_ServedWithExactlyItsDocumentedLabels()
    {
        // docs/operations.md's table is what operators' queries and the example alert rules are written against
        // (AlertRulesTests holds the rules to the table); this holds the table to what /metrics really serves.
        Assert.Multiple(() =>
        {
            foreach (var metric in DocumentedMetrics.Table().Values)
            {
                var series = metric.IsHistogram ? new[] { "_bucket", "_sum", "_count" }.Select(s => metric.Name + s).ToArray() : [metric.Name];
                var samples = _metrics.Where(m => series.Contains(m.Name)).ToList();
                var labels = samples
                    .SelectMany(m => m.Labels.Keys.Where(l => !(l == "le" && m.Name.EndsWith("_bucket", StringComparison.Ordinal)) && !l.StartsWith("otel_scope_", StringComparison.Ordinal)))
                    .ToHashSet(StringComparer.Ordinal);
                Assert.That(samples, Is.Not.Empty, $"{metric.Name} is served");
                Assert.That(labels, Is.EquivalentTo(metric.Labels), $"{metric.Name}'s labels, as docs/operations.md lists them");
            }
        });
    }

    [Test]
    public void FailedGate_LoggedAtWarningWithTheRunAndTheGate()
    {
        var warnings = _serve.Process.StderrLines("WRN]").Where(l => l.Contains(_gateRun, StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(warnings, Has.Some.Contains("Step evaluate failed").And.Some.Contains("gate r_squared"), _serve.Output);
            Assert.That(warnings, Has.Some.Contains($"Run {_gateRun} failed: step 'evaluate' failed"), _serve.Output);
            Assert.That(_serve.Process.StderrLines("WRN]").Where(l => l.Contains(_goodRun, StringComparison.Ordinal)), Is.Empty, "a succeeded run warns of nothing");
        });
    }

    [Test]
    public void LogLevelFromSerilogEnvironment_DebugRequestLinesShown()
    {
        Assert.That(_serve.Process.StderrLines("DBG]").Where(l => l.Contains("/metrics", StringComparison.Ordinal)), Is.Not.Empty, _serve.Output);
    }

    [Test]
    public void Trace_FireJobRunAndStepsShareOneTracePerRun()
    {
        var events = LogFile.Lines(Path.Combine(_folder.Combine("home"), "logs")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Multiple(() =>
        {
            foreach (var run in new[] { _goodRun, _gateRun })
            {
                var ofRun = events.Where(e => e["RunId"]?.GetValue<string>() == run).ToList();
                var fired = ofRun.Where(e => e["@mt"]!.GetValue<string>().Contains("fired for", StringComparison.Ordinal)).ToList();
                var traces = ofRun.Select(e => e["@tr"]?.GetValue<string>()).Distinct().ToList();
                Assert.That(fired, Has.Count.EqualTo(1), $"the fire of {run} is logged with its run id");
                Assert.That(ofRun.Where(e => e["StepId"] is not null), Is.Not.Empty, $"step lines of {run}");
                Assert.That(traces, Has.Count.EqualTo(1).And.None.Null, $"every line of {run} (fire, job, run, steps) carries one trace id");
            }

            var goodTrace = events.First(e => e["RunId"]?.GetValue<string>() == _goodRun)["@tr"]!.GetValue<string>();
            var gateTrace = events.First(e => e["RunId"]?.GetValue<string>() == _gateRun)["@tr"]!.GetValue<string>();
            Assert.That(goodTrace, Is.Not.EqualTo(gateTrace), "one trace per run");
        });
    }

    private double Value(string name, params (string Name, string Value)[] labels)
    {
        var found = Find(name, labels);
        Assert.That(found, Has.Count.EqualTo(1), $"{name} with {string.Join(", ", labels.Select(l => $"{l.Name}={l.Value}"))} in:\n{string.Join("\n", _metrics.Where(m => m.Name.StartsWith("mlops_", StringComparison.Ordinal)))}");
        return found[0].Value;
    }

    private List<PrometheusSample> Find(string name, params (string Name, string Value)[] labels) =>
        _metrics.Where(m => m.Name == name && m.Has(labels)).ToList();

    /// <summary>The pipeline's one run once it ended with <paramref name="status"/>; fails with serve's output otherwise.</summary>
    private async Task<string> EndedRunAsync(string pipeline, string status)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await _serve.RunsAsync(pipeline) is { Count: > 0 } runs)
            {
                var id = runs[0].GetProperty("runId").GetString()!;
                await _serve.WaitForRunAsync(id, status, deadline - DateTime.UtcNow);
                return id;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"{pipeline} did not fire within {RunTimeout}:\n{_serve.Output}");
        throw new InvalidOperationException("unreachable");
    }
}
