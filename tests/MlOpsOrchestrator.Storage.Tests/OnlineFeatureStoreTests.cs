using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class OnlineFeatureStoreTests(StoreEngine engine) : StoreFixture(engine)
{
    private static readonly long T0 = Sample.T0.UtcTicks;

    [Test]
    public async Task GetStateAsync_NeverMaterialized_ReturnsNull()
    {
        Assert.That(await Stores.OnlineFeatures.GetStateAsync(Sample.Name("view"), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task WriteAsync_Full_ThenEventsAsync_ReturnsTheEntityEventsInTimeThenAppendOrderWithNaNKept()
    {
        var view = Sample.Name("view");
        var written = await Stores.OnlineFeatures.WriteAsync(Refresh(view, 0, full: true, watermark: T0 + 30,
            Event("a", T0 + 20, 2, double.NaN), Event("b", T0 + 5, 9, 9), Event("a", T0 + 10, 1, 1), Event("a", T0 + 20, 3, 3)), CancellationToken.None);

        var events = await Stores.OnlineFeatures.EventsAsync(view, "a", CancellationToken.None);

        Assert.That(events.Select(e => e.Ticks), Is.EqualTo(new[] { T0 + 10, T0 + 20, T0 + 20 }));
        Assert.That(events.Select(e => e.Values.ToArray()), Is.EqualTo(new[] { new[] { 1.0, 1 }, [2, double.NaN], [3, 3] }));
        Assert.That(written, Is.Not.Null);
        Assert.That((written!.Events, written.Entities, written.Watermark, written.Generation), Is.EqualTo((4L, 2L, (long?)(T0 + 30), 1L)));
        Assert.That(await Stores.OnlineFeatures.GetStateAsync(view, CancellationToken.None), Is.EqualTo(written));
    }

    [Test]
    public async Task WriteAsync_Incremental_AppendsAndDropsEventsAtOrBeforeTheCutoff()
    {
        var view = Sample.Name("view");
        await Stores.OnlineFeatures.WriteAsync(Refresh(view, 0, full: true, watermark: T0 + 20, Event("a", T0 + 10, 1), Event("a", T0 + 20, 2)), CancellationToken.None);

        var state = await Stores.OnlineFeatures.WriteAsync(Refresh(view, 1, full: false, watermark: T0 + 30, Event("a", T0 + 30, 3)) with { DropAtOrBefore = T0 + 10 }, CancellationToken.None);

        var events = await Stores.OnlineFeatures.EventsAsync(view, "a", CancellationToken.None);
        Assert.That(events.Select(e => e.Values.ToArray()[0]), Is.EqualTo(new[] { 2.0, 3 }));
        Assert.That((state!.Events, state.Entities, state.Watermark, state.Generation), Is.EqualTo((2L, 1L, (long?)(T0 + 30), 2L)));
    }

    [Test]
    public async Task WriteAsync_Full_ReplacesTheViewsEventsButNotOtherViews()
    {
        var (view, other) = (Sample.Name("view"), Sample.Name("other"));
        await Stores.OnlineFeatures.WriteAsync(Refresh(view, 0, full: true, watermark: T0, Event("a", T0, 1)), CancellationToken.None);
        await Stores.OnlineFeatures.WriteAsync(Refresh(other, 0, full: true, watermark: T0, Event("a", T0, 7)), CancellationToken.None);

        await Stores.OnlineFeatures.WriteAsync(Refresh(view, 1, full: true, watermark: T0 + 1, Event("a", T0 + 1, 5)), CancellationToken.None);

        Assert.That((await Stores.OnlineFeatures.EventsAsync(view, "a", CancellationToken.None)).Select(e => e.Values.ToArray()[0]), Is.EqualTo(new[] { 5.0 }));
        Assert.That((await Stores.OnlineFeatures.EventsAsync(other, "a", CancellationToken.None)).Select(e => e.Values.ToArray()[0]), Is.EqualTo(new[] { 7.0 }));
    }

    [Test]
    public async Task WriteAsync_AnotherRefreshWrittenSinceTheStateWasRead_RefusedAndNothingWritten()
    {
        var view = Sample.Name("view");
        await Stores.OnlineFeatures.WriteAsync(Refresh(view, 0, full: true, watermark: T0, Event("a", T0, 1)), CancellationToken.None);
        await Stores.OnlineFeatures.WriteAsync(Refresh(view, 1, full: false, watermark: T0 + 1, Event("a", T0 + 1, 2)), CancellationToken.None);

        var stale = await Stores.OnlineFeatures.WriteAsync(Refresh(view, 1, full: false, watermark: T0 + 1, Event("a", T0 + 1, 2)), CancellationToken.None);

        Assert.That(stale, Is.Null);
        Assert.That(await Stores.OnlineFeatures.EventsAsync(view, "a", CancellationToken.None), Has.Count.EqualTo(2));
        Assert.That((await Stores.OnlineFeatures.GetStateAsync(view, CancellationToken.None))!.Generation, Is.EqualTo(2));
    }

    private static OnlineEvent Event(string entity, long ticks, params double[] values) => new(entity, ticks, values);

    private static OnlineRefresh Refresh(string view, long expected, bool full, long? watermark, params OnlineEvent[] events) => new()
    {
        State = new OnlineViewState { View = view, DefinitionHash = "def-1", SourceFingerprint = "csv|1", Watermark = watermark, RefreshedAt = Sample.T0 },
        ExpectedGeneration = expected,
        Full = full,
        Events = events,
    };
}
