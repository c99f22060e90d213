using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Dashboard;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Scheduling.Tests.Hangfire;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

/// <summary>
/// The model page's charts on a real Kestrel host over the SQLite stores, with a monitoring store registered (as
/// <c>serve</c> registers it) and a pipeline whose monitor step, <c>on: drift</c> trigger and retrain step are in the
/// catalog. Versions, alias moves, runs and monitoring points are seeded directly into the stores.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ModelPageChartsTests
{
    private const string Monitored = "churn-monitored";
    private const string Unmonitored = "churn-unmonitored";
    private const string EvilFeature = "a<b>&\"c";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private ChurnWorld _world = null!;
    private StorageSet _storage = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartHost()
    {
        _world = await ChurnWorld.CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(_world.PipelinesFolder, "monitored.yaml"), MonitoredPipeline);
        _world.Catalog.Refresh();
        _storage = await MlOpsStorage.OpenSqliteAsync(_world.Home, CancellationToken.None);
        await SeedAsync();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = _world.Home, EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddRunServices(_storage, _world);
        builder.Services.AddSingleton(_storage.Evaluations);
        builder.Services.AddMlOpsExecution(new ExecutionSettings { RunServer = false });
        _app = builder.Build();
        _app.Urls.Clear();
        _app.Urls.Add("http://127.0.0.1:0");
        _app.UseMlOpsDashboard();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    [OneTimeTearDown]
    public async Task StopHost()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _storage.DisposeAsync();
        _world.Dispose();
    }

    [Test]
    public async Task ModelPage_AfterARollback_OffersTheVersionTheNextRollbackGoesTo()
    {
        const string Rolled = "churn-rolled-back";
        var registry = _storage.Registry;
        for (var v = 1; v <= 3; v++)
        {
            await registry.RegisterAsync(Version(Rolled, $"run-rolled-{v}", T0.AddDays(v), 0.8), CancellationToken.None);
            await registry.MoveAliasAsync(Rolled, ModelPage.Production, v, "deploy", null, T0.AddDays(v).AddMinutes(1), CancellationToken.None);
        }

        await registry.MoveAliasAsync(Rolled, ModelPage.Production, 2, "ops", AliasRollback.Reason(3), T0.AddDays(4), CancellationToken.None);

        var html = WebUtility.HtmlDecode(await (await _client.GetAsync($"/hangfire/models/{Rolled}")).Content.ReadAsStringAsync());
        Assert.That(html, Does.Contain("Roll back production: version 2 → version 1"), "v1 → v2 → v3 rolled back to v2 rolls back next to v1, not to v3");
    }

    [Test]
    public async Task ModelPage_DrawsTheMetricAndDriftHistory_WithDeployAndRetrainMarkers()
    {
        var response = await _client.GetAsync($"/hangfire/models/{Monitored}");
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var metric = Chart(html, "mlops-chart-metric");
        var drift = Chart(html, "mlops-chart-drift");
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<h4>Metric auc</h4>"));
            Assert.That(Series(metric, "auc (monitored)").Element(Svg + "polyline"), Is.Not.Null, "the monitored metric is a line");
            Assert.That(Series(metric, "auc (monitored)").Elements(Svg + "circle").Count(), Is.EqualTo(4));
            Assert.That(Series(metric, "auc per version (evaluation)").Elements(Svg + "circle").Count(), Is.EqualTo(2), "one dot per version");
            Assert.That(Series(drift, "worst drift (psi)").Element(Svg + "polyline"), Is.Not.Null);
            foreach (var chart in new[] { metric, drift })
            {
                Assert.That(Labels(chart, "deploy"), Is.EqualTo(new[] { "v1", "v2" }), "production moves, labelled by version");
                Assert.That(Labels(chart, "retrain"), Is.EqualTo(new[] { "retrain" }), "the run of the on: drift trigger");
            }

            Assert.That(drift.Descendants(Svg + "g").Single(g => g.Attribute("class")?.Value == "mlops-threshold").Value, Does.Contain("threshold 0.25"), "from the monitor step");
            var titles = drift.Descendants(Svg + "title").Select(t => t.Value).ToList();
            Assert.That(titles, Has.Some.Contains("worst feature monthly_charges: psi 0.4 > 0.25: drift"), "the top feature in the tooltip");
            Assert.That(titles, Has.Some.Contains($"worst feature {EvilFeature}: psi 0.3 > 0.25"), "a feature name comes back intact");
            Assert.That(html, Does.Contain("a&lt;b&gt;&amp;&quot;c").And.Not.Contain(EvilFeature), "and is encoded in the page");
            Assert.That(html, Does.Not.Contain(ModelCharts.EmptyText));
        });
    }

    [Test]
    public async Task ModelPage_WithoutMonitoringOrMetrics_SaysSoInsteadOfAnEmptyChart()
    {
        var response = await _client.GetAsync($"/hangfire/models/{Unmonitored}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain(ModelCharts.EmptyText));
            Assert.That(html, Does.Not.Contain("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mlops-chart"));
            Assert.That(html, Does.Contain("mlops-versions"), "the rest of the page is there");
        });
    }

    private static XElement Chart(string html, string css)
    {
        var match = Regex.Match(html, $"<svg [^>]*class=\"mlops-chart {css}\".*?</svg>", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, $"the page has the {css} chart");
        return XDocument.Parse(match.Value).Root!;
    }

    private static XElement Series(XElement chart, string name) =>
        chart.Descendants(Svg + "g").Single(g => g.Attribute("data-series")?.Value == name);

    private static List<string> Labels(XElement chart, string kind) =>
        chart.Descendants(Svg + "g").Where(g => g.Attribute("data-marker")?.Value == kind).Select(g => g.Element(Svg + "text")!.Value).ToList();

    /// <summary>
    /// v1 from a manual run, monitored four times (the third drifts), a retrain run through <c>on-drift</c> that
    /// registers v2, and production moved to v1 then v2; a second model with one version and nothing else.
    /// </summary>
    private async Task SeedAsync()
    {
        var definition = _world.Definition(Monitored);
        var yaml = _world.Catalog.Find(Monitored)!.Yaml!;
        await CreateRunAsync("run-train-1", "manual", T0, definition, yaml);
        await CreateRunAsync("run-retrain-2", "on-drift", T0.AddDays(2), definition, yaml);
        await CreateRunAsync("run-nightly", "manual", T0.AddDays(1), definition, yaml);

        var registry = _storage.Registry;
        await registry.RegisterAsync(Version(Monitored, "run-train-1", T0.AddMinutes(5), 0.84), CancellationToken.None);
        await registry.MoveAliasAsync(Monitored, ModelPage.Production, 1, "deploy", null, T0.AddMinutes(6), CancellationToken.None);
        await registry.RegisterAsync(Version(Monitored, "run-retrain-2", T0.AddDays(2).AddMinutes(5), 0.86), CancellationToken.None);
        await registry.MoveAliasAsync(Monitored, ModelPage.Production, 2, "deploy", null, T0.AddDays(2).AddMinutes(6), CancellationToken.None);
        await registry.RegisterAsync(Version(Unmonitored, "run-nightly", T0, null), CancellationToken.None);

        var points = new List<EvaluationPoint>();
        void Monitor(string run, int version, DateTimeOffset at, double charges, double contract, double evil, double auc)
        {
            void Add(string series, double value) => points.Add(new EvaluationPoint(Monitored, Monitored, version, run, "monitor", series, value, at));
            Add("drift.psi.monthly_charges", charges);
            Add("drift.ks.monthly_charges", 0.9);
            Add("drift.psi.contract", contract);
            Add("drift.psi." + EvilFeature, evil);
            Add("metric.auc", auc);
            Add("verdict.drift", Math.Max(charges, Math.Max(contract, evil)) > 0.25 ? 1 : 0);
            Add("window.rows", 500);
        }

        Monitor("run-watch-1", 1, T0.AddHours(6), 0.05, 0.02, 0.01, 0.83);
        Monitor("run-watch-2", 1, T0.AddDays(1), 0.1, 0.08, 0.3, 0.81);
        Monitor("run-watch-3", 1, T0.AddDays(2).AddMinutes(-10), 0.4, 0.1, 0.2, 0.74);
        Monitor("run-watch-4", 2, T0.AddDays(3), 0.06, 0.03, double.NaN, 0.85);
        await _storage.Evaluations.AppendAsync(points, CancellationToken.None);
    }

    private async Task CreateRunAsync(string id, string trigger, DateTimeOffset at, PipelineDefinition definition, string yaml)
    {
        await _storage.Runs.CreateAsync(new RunRecord
        {
            RunId = id,
            Pipeline = definition.Name,
            PipelineVersion = definition.Version,
            PipelineFile = definition.SourceFile,
            PipelineYaml = yaml,
            Trigger = trigger,
            Mode = RunMode.Full,
            Status = RunStatus.Succeeded,
            Level = definition.Maturity.Level,
            CreatedAt = at,
            StartedAt = at,
            FinishedAt = at.AddMinutes(5),
        }, [], CancellationToken.None);
    }

    private static ModelVersion Version(string name, string run, DateTimeOffset at, double? auc) => new()
    {
        Name = name,
        Version = 0,
        RunId = run,
        StepId = "deploy",
        PipelineVersion = "v",
        DataHash = "0123456789abcdef",
        ArtifactPath = $"models/{name}/{run}.zip",
        Metrics = auc is { } value ? new Dictionary<string, double> { ["auc"] = value, ["production_auc"] = value - 0.01 } : new Dictionary<string, double>(),
        CreatedAt = at,
    };

    private const string MonitoredPipeline = """
        version: 1
        name: churn-monitored
        data:
          source:
            type: csv
            path: data/customers.csv
          timestamp: signup_ts
          label: churned
          schema:
            signup_ts: { type: datetime }
            contract: { type: categorical }
            payment: { type: categorical }
            monthly_charges: { type: float, missing: mean }
            last_note: { type: text }
            churned: { type: categorical, positive: "yes" }
        triggers:
          - id: watch
            cron: "0 0/15 * * * ?"
            steps: [monitor, retrain]
          - id: on-drift
            on: drift
            mode: full
        steps:
          - id: prep
            kind: data_prep
            split: { by: random, test_fraction: 0.25, seed: 3 }
          - id: train
            kind: train
            needs: [prep]
            task: binary
            trainer: lbfgs_logistic_regression
          - id: evaluate
            kind: evaluate
            needs: [train]
            gates:
              auc: { min: 0.6 }
          - id: deploy
            kind: deploy
            needs: [evaluate]
          - id: monitor
            kind: monitor
            needs: [deploy]
            window: 14d
            drift: { method: psi, threshold: 0.25 }
            performance: { metric: auc, max_increase: 0.1 }
          - id: retrain
            kind: retrain
            needs: [monitor]
            when: drift
            trigger: on-drift
        """;
}
