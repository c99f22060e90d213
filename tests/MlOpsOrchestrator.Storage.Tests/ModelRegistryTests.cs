using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class ModelRegistryTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task RegisterAsync_ThreeRuns_AssignsVersionsOneToThreeIgnoringTheGivenNumber()
    {
        var name = Sample.Name("taxi-fare");

        var versions = new List<int>();
        foreach (var run in new[] { "run-a", "run-b", "run-c" })
        {
            versions.Add((await Stores.Registry.RegisterAsync(Sample.Model(name, run) with { Version = 42 }, CancellationToken.None)).Version);
        }

        var listed = await Stores.Registry.ListVersionsAsync(name, CancellationToken.None);
        Assert.That(versions, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(listed.Select(v => (v.Version, v.RunId)), Is.EqualTo(new[] { (1, "run-a"), (2, "run-b"), (3, "run-c") }));
    }

    [Test]
    public async Task RegisterAsync_NewVersion_GetReturnsEveryField()
    {
        var model = Sample.Model(Sample.Name("taxi-fare"), "run-a");

        var registered = await Stores.Registry.RegisterAsync(model, CancellationToken.None);

        RecordAssert.SameModel(registered, model with { Version = 1 });
        RecordAssert.SameModel(await Stores.Registry.GetAsync(model.Name, 1, CancellationToken.None), model with { Version = 1 });
        Assert.That(await Stores.Registry.GetAsync(model.Name, 2, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task RegisterAsync_SameRunAndStepAgain_ReturnsTheFirstRegistrationUnchanged()
    {
        var name = Sample.Name("taxi-fare");
        var first = await Stores.Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None);
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-b"), CancellationToken.None);

        var again = await Stores.Registry.RegisterAsync(
            Sample.Model(name, "run-a") with { DataHash = "changed", CreatedAt = Sample.T0.AddHours(1) }, CancellationToken.None);

        RecordAssert.SameModel(again, first);
        Assert.That(await Stores.Registry.ListVersionsAsync(name, CancellationToken.None), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task RegisterAsync_ConcurrentlyFromTwoProcesses_DistinctConsecutiveVersions()
    {
        await using var other = await OpenAnotherAsync();
        var name = Sample.Name("taxi-fare");

        var registered = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Stores : other).Registry.RegisterAsync(Sample.Model(name, $"run-{i}"), CancellationToken.None))));

        var listed = await Stores.Registry.ListVersionsAsync(name, CancellationToken.None);
        Assert.That(registered.Select(v => v.Version).Order(), Is.EqualTo(Enumerable.Range(1, 12)));
        Assert.That(listed.Select(v => v.Version), Is.EqualTo(Enumerable.Range(1, 12)));
    }

    [Test]
    public async Task RegisterAsync_SameDeployReExecutedConcurrently_RegistersOnce()
    {
        await using var other = await OpenAnotherAsync();
        var name = Sample.Name("taxi-fare");

        var registered = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Stores : other).Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None))));

        Assert.That(registered.Select(v => v.Version), Is.All.EqualTo(1));
        Assert.That(await Stores.Registry.ListVersionsAsync(name, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task RemoveAliasAsync_Canary_RemovesItAndRecordsTheWithdrawal_AnUnknownAliasThrows()
    {
        var name = Sample.Name("taxi-fare");
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-a"), CancellationToken.None);
        await Stores.Registry.RegisterAsync(Sample.Model(name, "run-b"), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "production", 1, "deploy", null, Sample.T0, CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "canary", 2, "deploy", null, Sample.T0.AddMinutes(1), CancellationToken.None);

        var removed = await Stores.Registry.RemoveAliasAsync(name, "canary", "promote_when", "withdraw: worse", Sample.T0.AddMinutes(2), CancellationToken.None);

        Assert.That(removed, Is.EqualTo(new AliasChange(name, "canary", 2, 2, "promote_when", "withdraw: worse", Sample.T0.AddMinutes(2), Removed: true)));
        Assert.That(await Stores.Registry.GetAliasesAsync(name, CancellationToken.None), Is.EqualTo(new Dictionary<string, int> { ["production"] = 1 }));
        var history = await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None);
        Assert.That(history[^1], Is.EqualTo(removed));
        Assert.That(history.Take(2).Select(h => h.Removed), Is.All.False);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Stores.Registry.RemoveAliasAsync(name, "canary", "bob", null, Sample.T0.AddMinutes(3), CancellationToken.None));
        Assert.That(await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task MoveAliasAsync_PromoteThenPromoteAgain_MovesAliasAndRecordsHistory()
    {
        var name = await RegisterVersionsAsync(3);

        var first = await Stores.Registry.MoveAliasAsync(name, "production", 1, "deploy", null, Sample.T0, CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(name, "staging", 3, "deploy", null, Sample.T0.AddMinutes(1), CancellationToken.None);
        var second = await Stores.Registry.MoveAliasAsync(name, "production", 2, "alice", "better rmse", Sample.T0.AddMinutes(2), CancellationToken.None);

        var aliases = await Stores.Registry.GetAliasesAsync(name, CancellationToken.None);
        var history = await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.PreviousVersion, Is.Null);
            Assert.That(second, Is.EqualTo(new AliasChange(name, "production", 2, 1, "alice", "better rmse", Sample.T0.AddMinutes(2))));
            Assert.That(aliases, Is.EqualTo(new Dictionary<string, int> { ["production"] = 2, ["staging"] = 3 }));
            Assert.That(history, Is.EqualTo(new[]
            {
                new AliasChange(name, "production", 1, null, "deploy", null, Sample.T0),
                new AliasChange(name, "staging", 3, null, "deploy", null, Sample.T0.AddMinutes(1)),
                second,
            }));
        }
    }

    [Test]
    public async Task MoveAliasAsync_Rollback_PreviousVersionIsWhereItPointedBefore()
    {
        var name = await RegisterVersionsAsync(2);
        await Stores.Registry.MoveAliasAsync(name, "production", 1, "deploy", null, Sample.T0, CancellationToken.None);
        var promoted = await Stores.Registry.MoveAliasAsync(name, "production", 2, "deploy", null, Sample.T0.AddMinutes(1), CancellationToken.None);

        var rolledBack = await Stores.Registry.MoveAliasAsync(
            name, "production", promoted.PreviousVersion!.Value, "bob", "drift alarm", Sample.T0.AddMinutes(2), CancellationToken.None);

        Assert.That(rolledBack.PreviousVersion, Is.EqualTo(2));
        Assert.That((await Stores.Registry.GetAliasesAsync(name, CancellationToken.None))["production"], Is.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(4)]
    public async Task MoveAliasAsync_UnknownVersion_ThrowsKeyNotFoundAndChangesNothing(int version)
    {
        var name = await RegisterVersionsAsync(3);
        await Stores.Registry.MoveAliasAsync(name, "production", 2, "deploy", null, Sample.T0, CancellationToken.None);

        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            Stores.Registry.MoveAliasAsync(name, "production", version, "alice", null, Sample.T0, CancellationToken.None));

        Assert.That((await Stores.Registry.GetAliasesAsync(name, CancellationToken.None))["production"], Is.EqualTo(2));
        Assert.That(await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task MoveAliasAsync_UnknownModel_ThrowsKeyNotFound()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            Stores.Registry.MoveAliasAsync(Sample.Name("nobody"), "production", 1, "alice", null, Sample.T0, CancellationToken.None));
    }

    [Test]
    public async Task MoveAliasAsync_ConcurrentMovesFromTwoProcesses_HistoryChainsEveryPreviousVersion()
    {
        await using var other = await OpenAnotherAsync();
        var name = await RegisterVersionsAsync(8);

        await Task.WhenAll(Enumerable.Range(1, 8).Select(v => Task.Run(() =>
            (v % 2 == 0 ? Stores : other).Registry.MoveAliasAsync(name, "production", v, "deploy", null, Sample.T0, CancellationToken.None))));

        var history = await Stores.Registry.GetAliasHistoryAsync(name, CancellationToken.None);
        Assert.That(history[0].PreviousVersion, Is.Null);
        Assert.That(history.Skip(1).Select(c => c.PreviousVersion), Is.EqualTo(history.SkipLast(1).Select(c => (int?)c.Version)));
        Assert.That((await Stores.Registry.GetAliasesAsync(name, CancellationToken.None))["production"], Is.EqualTo(history[^1].Version));
    }

    [Test]
    public async Task ListNamesAsync_RegisteredModels_SortedOrdinally()
    {
        var prefix = Sample.Name("names");
        foreach (var suffix in new[] { "b", "a", "B" })
        {
            await Stores.Registry.RegisterAsync(Sample.Model($"{prefix}-{suffix}", "run-a"), CancellationToken.None);
        }

        var names = (await Stores.Registry.ListNamesAsync(CancellationToken.None)).Where(n => n.StartsWith(prefix)).ToList();

        Assert.That(names, Is.EqualTo(new[] { $"{prefix}-B", $"{prefix}-a", $"{prefix}-b" }));
    }

    [Test]
    public async Task GetAliasesAsync_UnknownModel_IsEmpty()
    {
        Assert.That(await Stores.Registry.GetAliasesAsync(Sample.Name("nobody"), CancellationToken.None), Is.Empty);
        Assert.That(await Stores.Registry.ListVersionsAsync(Sample.Name("nobody"), CancellationToken.None), Is.Empty);
        Assert.That(await Stores.Registry.GetAliasHistoryAsync(Sample.Name("nobody"), CancellationToken.None), Is.Empty);
    }

    private async Task<string> RegisterVersionsAsync(int count)
    {
        var name = Sample.Name("taxi-fare");
        for (var i = 1; i <= count; i++)
        {
            await Stores.Registry.RegisterAsync(Sample.Model(name, $"run-{i}"), CancellationToken.None);
        }

        return name;
    }
}
