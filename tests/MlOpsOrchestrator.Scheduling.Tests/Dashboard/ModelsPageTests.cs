using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Tests.Hangfire;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

/// <summary>The Models list on a real host: production version, the pipeline's primary metric, the last deploy and the drift state.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ModelsPageTests
{
    private ChurnWorld _world = null!;
    private StorageSet _storage = null!;
    private DashboardHost _host = null!;

    [OneTimeSetUp]
    public async Task StartHost()
    {
        _world = await ChurnWorld.CreateAsync();
        _storage = await MlOpsStorage.OpenSqliteAsync(_world.Home, CancellationToken.None);
        _host = await DashboardHost.StartAsync(_storage, _world);
    }

    [OneTimeTearDown]
    public async Task StopHost()
    {
        await _host.DisposeAsync();
        await _storage.DisposeAsync();
        _world.Dispose();
    }

    [Test]
    public async Task ModelsList_ShowsProductionPrimaryMetricLastDeployAndDriftState()
    {
        var started = await _host.Services.GetRequiredService<RunStarter>().StartAsync(_world.Request(ChurnWorld.Auto), CancellationToken.None);
        var run = await RunWait.StatusAsync(_storage.Runs, started.Run.RunId, RunStatus.Succeeded);
        var version = (await _storage.Registry.ListVersionsAsync(ChurnWorld.Auto, CancellationToken.None)).Single(v => v.Version == run.Model!.Version);
        var deploy = (await _storage.Registry.GetAliasHistoryAsync(ChurnWorld.Auto, CancellationToken.None))[^1];
        using var client = _host.Client();

        var before = WebUtility.HtmlDecode(await (await client.GetAsync("/hangfire/models")).Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(before, Does.Contain($"<td class=\"mlops-production\">v{version.Version}</td>"));
            Assert.That(before, Does.Contain($"<td class=\"mlops-primary\">auc {version.Metrics["auc"].ToString("0.####", CultureInfo.InvariantCulture)}</td>"),
                "the pipeline's primary metric (its first gate) of the production version");
            Assert.That(before, Does.Contain($"<td class=\"mlops-last-deploy\">v{deploy.Version} by {deploy.By}, {deploy.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}</td>"));
            Assert.That(before, Does.Contain("data-drift=\"unmonitored\">not monitored"));
        });

        // A later watch run of the pipeline found drift: the list says so and links to it.
        var watchId = "watch-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        await _storage.Runs.CreateAsync(run with { RunId = watchId, Trigger = "watch", CreatedAt = now, StartedAt = now, FinishedAt = now, IdempotencyKey = null, Model = null }, [new StepRecord
        {
            RunId = watchId, StepId = "monitor", Kind = "monitor", Status = StepStatus.Succeeded,
            Result = new MonitorResult { Verdict = MonitorVerdict.Drift, WindowRows = 200, WindowSource = WindowSource.Data, ModelVersion = version.Version, WorstFeature = "contract", WorstScore = 0.61 },
        }], CancellationToken.None);
        var after = WebUtility.HtmlDecode(await (await client.GetAsync("/hangfire/models")).Content.ReadAsStringAsync());
        Assert.That(after, Does.Contain($"data-drift=\"drift\">drift</span> · worst contract 0.61 · <a href=\"/hangfire/runs/{watchId}\">"));
    }
}
