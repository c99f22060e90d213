using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Cli.Api;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// The served versions come from memory: the store is read for the first request of a (model, alias) and by the
/// refresh, which picks up alias moves, never replaces a version with one that cannot load, and does not disturb
/// concurrent scoring. A model deployed by a real run under <c>serve</c>, with copies registered as new versions.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ScorerCacheTests
{
    private const string Production = "production";
    private const string Customer =
        """{ "tenure_months": 2, "monthly_charges": 95.5, "contract": "monthly", "payment": "check", "support_calls": 6, "outages": 4, "last_note": "third outage this week" }""";

    private ServeHarness _serve = null!;
    private IModelRegistry _registry = null!;
    private ModelVersion _v1 = null!;
    private ModelVersion _v2 = null!;
    private int _copies;

    [OneTimeSetUp]
    public async Task DeployTwoVersions()
    {
        _serve = await ServeHarness.StartAsync();
        var runId = await _serve.RunToApprovalAsync();
        var (status, _) = await _serve.PostAsync($"/api/runs/{runId}/steps/deploy/approve", "{}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted).Or.EqualTo(HttpStatusCode.OK));
        await _serve.WaitForRunAsync(runId, "succeeded");
        _registry = _serve.Services.GetRequiredService<IModelRegistry>();
        _v1 = (await _registry.ListVersionsAsync(ServeHarness.Pipeline, CancellationToken.None)).Single();
        _v2 = await CopyAsync();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _serve.DisposeAsync();

    [SetUp]
    public async Task PointProductionAtVersionOne() => await MoveAsync(_v1.Version);

    [Test]
    public async Task GetAsync_AliasAlreadyServed_ReadsTheStoreOnlyForTheFirstRequest()
    {
        var registry = new CountingRegistry(_registry);
        using var cache = NewCache(registry);

        var first = await cache.GetAsync(ServeHarness.Pipeline, Production, CancellationToken.None);
        for (var i = 0; i < 100; i++)
        {
            Assert.That(await cache.GetAsync(ServeHarness.Pipeline, Production, CancellationToken.None), Is.SameAs(first));
        }

        Assert.That(first!.Version, Is.EqualTo(_v1.Version));
        Assert.That(registry.AliasReads, Is.EqualTo(1));
    }

    [Test]
    public async Task RefreshAsync_AliasMoved_ServesTheNewVersionFromThenOn()
    {
        using var cache = NewCache(_registry);
        await cache.GetAsync(ServeHarness.Pipeline, Production, CancellationToken.None);

        await MoveAsync(_v2.Version);
        var beforeRefresh = await cache.GetAsync(ServeHarness.Pipeline, Production, CancellationToken.None);
        await cache.RefreshAsync(CancellationToken.None);
        var afterRefresh = await cache.GetAsync(ServeHarness.Pipeline, Production, CancellationToken.None);

        Assert.That(beforeRefresh!.Version, Is.EqualTo(_v1.Version), "until the refresh, the version loaded is served");
        Assert.That(afterRefresh!.Version, Is.EqualTo(_v2.Version));
        Assert.That(Score(afterRefresh), Is.EqualTo(Score(beforeRefresh)), "version 2 is a copy of version 1");
    }

    [Test]
    public async Task RefreshAsync_AliasMovedToAVersionThatCannotLoad_KeepsServingAndRetriesOnlyAfterAMinute()
    {
        var registry = new CountingRegistry(_registry);
        var time = new ManualTime();
        using var cache = NewCache(registry, time);
        await cache.GetAsync(ServeHarness.Pipeline, Production, CancellationToken.None);
        var broken = await CopyAsync(corrupt: true);
        await MoveAsync(broken.Version);

        await cache.RefreshAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        await cache.RefreshAsync(CancellationToken.None);
        var attemptsWithinAMinute = registry.VersionReads.GetValueOrDefault(broken.Version);
        time.Advance(TimeSpan.FromSeconds(31));
        await cache.RefreshAsync(CancellationToken.None);
        var served = await cache.GetAsync(ServeHarness.Pipeline, Production, CancellationToken.None);

        Assert.That(served!.Version, Is.EqualTo(_v1.Version), "a version that cannot load never replaces the served one");
        Assert.That(attemptsWithinAMinute, Is.EqualTo(1));
        Assert.That(registry.VersionReads.GetValueOrDefault(broken.Version), Is.EqualTo(2));
    }

    [Test]
    public async Task GetAsync_WhileRefreshesSwapVersions_EveryCallerScoresAsOneCallerDoes()
    {
        using var cache = NewCache(_registry);
        var expected = Score((await cache.GetAsync(ServeHarness.Pipeline, Production, CancellationToken.None))!);
        using var stop = new CancellationTokenSource();
        var versions = new ConcurrentDictionary<int, int>();
        var wrong = new ConcurrentBag<string>();
        var callers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var served = await cache.GetAsync(ServeHarness.Pipeline, Production, CancellationToken.None);
                versions.AddOrUpdate(served!.Version, 1, (_, n) => n + 1);
                if (Score(served) is var score && score != expected)
                {
                    wrong.Add(score);
                }
            }
        })).ToList();

        for (var swap = 0; swap < 6; swap++)
        {
            await MoveAsync(swap % 2 == 0 ? _v2.Version : _v1.Version);
            await cache.RefreshAsync(CancellationToken.None);
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Task.WhenAll(callers);
        Assert.That(wrong, Is.Empty);
        Assert.That(versions.Keys, Is.SupersetOf(new[] { _v1.Version, _v2.Version }));
    }

    private ScorerCache NewCache(IModelRegistry registry, TimeProvider? time = null) =>
        new(registry, _serve.Services.GetRequiredService<IArtifactStore>(), time ?? TimeProvider.System, NullLogger<ScorerCache>.Instance);

    private async Task MoveAsync(int version) =>
        await _registry.MoveAliasAsync(ServeHarness.Pipeline, Production, version, "test", null, DateTimeOffset.UtcNow, CancellationToken.None);

    private async Task<ModelVersion> CopyAsync(bool corrupt = false) =>
        await ModelVersionCopies.RegisterAsync(_serve.Services, _v1, $"cache-copy-{++_copies}", corrupt);

    private static string Score(ServedModel served)
    {
        using var input = JsonDocument.Parse(Customer);
        return served.Scorer.ScoreToJson(input.RootElement).ToJsonString();
    }
}
