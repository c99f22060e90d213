using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Dashboard;
using MlOpsOrchestrator.Evaluations;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Scheduling.Tests.Hangfire;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

/// <summary>
/// The model page's "compare versions" section on a real Kestrel host over the SQLite stores: v2 was evaluated
/// against v1 (production) by run-2 on the same rows; it is better overall and on winter, worse on summer.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ModelPageCompareTests
{
    private const string Model = "bikes-compared";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private ChurnWorld _world = null!;
    private StorageSet _storage = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartHost()
    {
        _world = await ChurnWorld.CreateAsync();
        _storage = await MlOpsStorage.OpenSqliteAsync(_world.Home, CancellationToken.None);
        await SeedAsync();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = _world.Home, EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddRunServices(_storage, _world);
        builder.Services.AddSingleton(IEvaluationService.Create(_storage.Registry, _storage.ModelEvaluations));
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
    public async Task ModelPage_DefaultComparison_ProductionAgainstNewestWorstSliceFirstWithABarChart()
    {
        var html = await PageAsync($"/hangfire/models/{Model}");

        var table = Between(html, "<table class=\"table table-condensed mlops-compare\">", "</table>");
        var rows = table.Split("<tr ", StringSplitOptions.None).Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("Both measured by run run-2 on the same rows (v2 as candidate, v1 as production)"));
            Assert.That(table, Does.Contain("<th>v1</th><th>Rows</th><th>v2</th>"));
            Assert.That(rows[0], Does.Contain("data-slice=\"season=summer\" data-metric=\"rmse\"").And.Contain("<td>5</td><td>40</td><td>10</td><td>40</td>").And.Contain("+100.0% worse"));
            Assert.That(rows[^1], Does.Contain("data-slice=\"season=winter\"").And.Contain("-33.3%"), "the best change last");
            Assert.That(rows.Count(r => r.Contains("(all rows)", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(html, Does.Contain("class=\"mlops-chart mlops-compare-chart\""));
            Assert.That(html, Does.Contain("<g class=\"mlops-bar\" data-slice=\"season=summer\" data-metric=\"rmse\">"));
            Assert.That(html, Does.Contain("<option value=\"1\" selected>v1</option>").And.Contain("<option value=\"2\" selected>v2</option>"));
        });
    }

    [Test]
    public async Task ModelPage_ReversedQuery_ComparesTheOtherWay()
    {
        var html = await PageAsync($"/hangfire/models/{Model}?a=2&b=1");

        var table = Between(html, "<table class=\"table table-condensed mlops-compare\">", "</table>");
        var first = table.Split("<tr ", StringSplitOptions.None)[1];
        Assert.That(table, Does.Contain("<th>v2</th><th>Rows</th><th>v1</th>"));
        Assert.That(first, Does.Contain("data-slice=\"season=winter\"").And.Contain("+50.0% worse"));
    }

    [TestCase("?a=9&b=1", "model 'bikes-compared' has no version 9 (registered: 1, 2)")]
    [TestCase("?a=first&b=1", "pick the versions by number, e.g. ?a=1&b=2")]
    public async Task ModelPage_BadQuery_SaysWhyInsteadOfATable(string query, string expected)
    {
        var html = await PageAsync($"/hangfire/models/{Model}{query}");

        Assert.That(html, Does.Contain(expected));
        Assert.That(html, Does.Not.Contain("mlops-compare\">"));
    }

    private async Task<string> PageAsync(string path)
    {
        var response = await _client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.That(from, Is.GreaterThanOrEqualTo(0), $"'{start}' not in the page");
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private async Task SeedAsync()
    {
        for (var v = 1; v <= 2; v++)
        {
            await _storage.Registry.RegisterAsync(new ModelVersion
            {
                Name = Model, Version = 0, RunId = $"run-{v}", StepId = "deploy", PipelineVersion = "p", DataHash = "0123456789abcdef",
                ArtifactPath = $"models/{Model}/{v}.zip", CreatedAt = T0.AddDays(v),
                Properties = new Dictionary<string, string> { [ModelProperties.TrainedBy] = "train" },
            }, CancellationToken.None);
        }

        await _storage.Registry.MoveAliasAsync(Model, ModelPage.Production, 1, "deploy", null, T0.AddDays(1), CancellationToken.None);
        ModelEvaluation Row(string role, string column, string slice, double value, int rows) => new()
        {
            Model = Model, Version = role == ModelEvaluation.ProductionRole ? 1 : null, RunId = "run-2", StepId = "evaluate",
            TrainedBy = role == ModelEvaluation.CandidateRole ? "train" : null, DataHash = "hash-2", SliceColumn = column, SliceValue = slice,
            Metric = "rmse", Value = value, Rows = rows, Role = role, At = T0.AddDays(2),
        };
        await _storage.ModelEvaluations.ReplaceAsync("run-2", "evaluate",
        [
            Row(ModelEvaluation.CandidateRole, "*", "*", 5, 120), Row(ModelEvaluation.ProductionRole, "*", "*", 6, 120),
            Row(ModelEvaluation.CandidateRole, "season", "season=summer", 10, 40), Row(ModelEvaluation.ProductionRole, "season", "season=summer", 5, 40),
            Row(ModelEvaluation.CandidateRole, "season", "season=winter", 4, 80), Row(ModelEvaluation.ProductionRole, "season", "season=winter", 6, 80),
        ], CancellationToken.None);
    }
}
