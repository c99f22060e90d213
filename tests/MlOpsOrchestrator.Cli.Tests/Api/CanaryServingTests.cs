using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Cli.Api;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// A canary under <c>serve</c> is kept current like production: one whose files cannot be loaded never answers
/// (production answers every request, none fails), and a canary set while requests flow starts answering its share
/// within seconds, without a restart.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CanaryServingTests
{
    private const string Customer =
        """{ "tenure_months": 2, "monthly_charges": 95.5, "contract": "monthly", "payment": "check", "support_calls": 6, "outages": 4, "last_note": "third outage this week" }""";

    private ServeHarness _serve = null!;
    private IModelRegistry _registry = null!;
    private ModelVersion _v1 = null!;

    [OneTimeSetUp]
    public async Task DeployOneVersion()
    {
        _serve = await ServeHarness.StartAsync();
        var runId = await _serve.RunToApprovalAsync();
        await _serve.PostAsync($"/api/runs/{runId}/steps/deploy/approve", "{}");
        await _serve.WaitForRunAsync(runId, "succeeded");
        _registry = _serve.Services.GetRequiredService<IModelRegistry>();
        _v1 = (await _registry.ListVersionsAsync(ServeHarness.Pipeline, CancellationToken.None)).Single();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _serve.DisposeAsync();

    [Test]
    public async Task Predict_CanaryCannotLoad_ProductionAnswersAll_ThenAGoodCanaryIsPickedUpLive()
    {
        Assert.That(await AliasesAsync(20, "before"), Is.All.EqualTo("production"), "routing is known before the canary exists");

        var broken = await ModelVersionCopies.RegisterAsync(_serve.Services, _v1, "broken-canary", corrupt: true);
        await _registry.RouteAliasAsync(ServeHarness.Pipeline, "canary", broken.Version, new AliasRoute(0.5, null), "test", null, DateTimeOffset.UtcNow, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // two refreshes: the load was tried and failed
        var whileBroken = await AliasesAsync(200, "broken");

        var good = await ModelVersionCopies.RegisterAsync(_serve.Services, _v1, "good-canary");
        await _registry.RouteAliasAsync(ServeHarness.Pipeline, "canary", good.Version, new AliasRoute(0.5, null), "test", null, DateTimeOffset.UtcNow, CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        List<string> afterGood;
        do
        {
            await Task.Delay(200);
            afterGood = await AliasesAsync(40, $"good-{waited.ElapsedMilliseconds}");
        }
        while (!afterGood.Contains("canary") && waited.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Multiple(() =>
        {
            Assert.That(whileBroken, Is.All.EqualTo("production"), "a canary that cannot load answers nothing");
            Assert.That(afterGood, Does.Contain("canary").And.Contain("production"), "a loadable canary answers its share without a restart");
        });
    }

    [Test]
    public async Task GetRoutesAsync_UnknownNameIsNotRemembered_AndAProductionSetAfterTheCanaryIsPickedUp()
    {
        var registry = new CountingRegistry(_registry);
        using var cache = new ScorerCache(registry, _serve.Services.GetRequiredService<IArtifactStore>(), TimeProvider.System, NullLogger<ScorerCache>.Instance);
        const string late = "late-production";

        var unknown = await cache.GetRoutesAsync("no-such-model", CancellationToken.None);
        var readsBeforeRefresh = registry.AliasReads;
        await cache.RefreshAsync(CancellationToken.None);
        var readsByRefresh = registry.AliasReads - readsBeforeRefresh;

        var version = await _registry.RegisterAsync(_v1 with { Name = late, RunId = "late-1" }, CancellationToken.None);
        await _registry.RouteAliasAsync(late, "canary", version.Version, new AliasRoute(0.2, null), "test", null, DateTimeOffset.UtcNow, CancellationToken.None);
        var canaryOnly = await cache.GetRoutesAsync(late, CancellationToken.None);
        await _registry.MoveAliasAsync(late, "production", version.Version, "test", null, DateTimeOffset.UtcNow, CancellationToken.None);
        await cache.RefreshAsync(CancellationToken.None);
        var withProduction = await cache.GetRoutesAsync(late, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(unknown, Is.EqualTo(new ServedRoutes(null, null, null)));
            Assert.That(readsByRefresh, Is.Zero, "the refresh does not read names that were only asked for");
            Assert.That(canaryOnly.Production, Is.Null);
            Assert.That(canaryOnly.Canary?.Route, Is.EqualTo(new AliasRoute(0.2, null)));
            Assert.That(withProduction.Production?.Version, Is.EqualTo(version.Version), "production set later is served by the refresh");
        });
    }

    /// <summary>Sends requests with distinct keys; the alias that answered each (every one must succeed).</summary>
    private async Task<List<string>> AliasesAsync(int count, string prefix)
    {
        var aliases = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{ServeHarness.Pipeline}/predict")
            {
                Content = new StringContent(Customer, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Request-Key", $"{prefix}-{i}");
            var answer = await _serve.SendRawAsync(request);
            Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Text);
            aliases.Add(answer.Headers["X-Model-Alias"]);
        }

        return aliases;
    }
}
