using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>A canary's share of requests, stored with its alias move and audited in the history.</summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class ModelRegistryRouteTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task RouteAliasAsync_Canary_StoresTheShareWithTheMoveAndInTheHistory()
    {
        var name = Sample.Name("churn");
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None);
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-b"), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 1, "alice", null, Sample.T0, CancellationToken.None);

        var change = await Stores.Registry.RouteAliasAsync(name, "canary", 2, new AliasRoute(0.1, "customer_id"), "run r1", "deployed", Sample.T0.AddMinutes(1), CancellationToken.None);

        var routes = await Stores.Registry.GetRoutesAsync(name, CancellationToken.None);
        var history = await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(change.Route, Is.EqualTo(new AliasRoute(0.1, "customer_id")));
            Assert.That(routes, Is.EqualTo(new Dictionary<string, AliasRoute> { ["canary"] = new(0.1, "customer_id") }));
            Assert.That(await Stores.Registry.GetAliasesAsync(name, CancellationToken.None), Is.EqualTo(new Dictionary<string, int> { ["production"] = 1, ["canary"] = 2 }));
            Assert.That(history.Select(h => (h.Alias, h.Version, h.Route)), Is.EqualTo(new[] { ("production", 1, (AliasRoute?)null), ("canary", 2, new AliasRoute(0.1, "customer_id")) }));
        });
    }

    [Test]
    public async Task MoveAliasAsync_RoutedAliasMovedByHand_KeepsItsShare_ARouteMoveReplacesIt()
    {
        var name = Sample.Name("churn");
        foreach (var run in new[] { "run-a", "run-b", "run-c" })
        {
            await Stores.Registry.RegisterAsync(Sample.Model(name, run), CancellationToken.None);
        }

        await Stores.Registry.RouteAliasAsync(name, "canary", 1, new AliasRoute(0.25, null), "run r1", null, Sample.T0, CancellationToken.None);
        var byHand = await Stores.Registry.MoveAliasAsync(name, "canary", 2, "alice", "try v2", Sample.T0.AddMinutes(1), CancellationToken.None);
        var kept = await Stores.Registry.GetRoutesAsync(name, CancellationToken.None);
        await Stores.Registry.RouteAliasAsync(name, "canary", 3, new AliasRoute(0.05, "region"), "run r2", null, Sample.T0.AddMinutes(2), CancellationToken.None);

        var history = await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(byHand.Route, Is.EqualTo(new AliasRoute(0.25, null)));
            Assert.That(kept["canary"], Is.EqualTo(new AliasRoute(0.25, null)));
            Assert.That((await Stores.Registry.GetRoutesAsync(name, CancellationToken.None))["canary"], Is.EqualTo(new AliasRoute(0.05, "region")));
            Assert.That(history.Select(h => (h.Version, h.PreviousVersion, h.Route?.Traffic)), Is.EqualTo(new[] { (1, (int?)null, (double?)0.25), (2, 1, 0.25), (3, 2, 0.05) }));
        });
    }
}
