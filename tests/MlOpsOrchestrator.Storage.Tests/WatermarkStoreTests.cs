using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class WatermarkStoreTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task GetAsync_NeverSet_ReturnsNull()
    {
        Assert.That(await Stores.Watermarks.GetAsync(Sample.Name("taxi"), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task SetAsync_ThenAgain_GetReturnsTheLatestValue()
    {
        var pipeline = Sample.Name("taxi");
        await Stores.Watermarks.SetAsync(pipeline, Sample.T0, "run-a", CancellationToken.None);

        await Stores.Watermarks.SetAsync(pipeline, Sample.T0.AddDays(1), "run-b", CancellationToken.None);

        Assert.That(await Stores.Watermarks.GetAsync(pipeline, CancellationToken.None), Is.EqualTo(Sample.T0.AddDays(1)));
    }

    [Test]
    public async Task SetAsync_TwoPipelines_KeptApart()
    {
        var taxi = Sample.Name("taxi");
        var iris = Sample.Name("iris");

        await Stores.Watermarks.SetAsync(taxi, Sample.T0, "run-a", CancellationToken.None);
        await Stores.Watermarks.SetAsync(iris, Sample.T0.AddHours(-3), "run-b", CancellationToken.None);

        Assert.That(await Stores.Watermarks.GetAsync(taxi, CancellationToken.None), Is.EqualTo(Sample.T0));
        Assert.That(await Stores.Watermarks.GetAsync(iris, CancellationToken.None), Is.EqualTo(Sample.T0.AddHours(-3)));
    }

    [Test]
    public async Task ResetAsync_AfterSet_GetReturnsNullAndSetWorksAgain()
    {
        var pipeline = Sample.Name("taxi");
        await Stores.Watermarks.SetAsync(pipeline, Sample.T0, "run-a", CancellationToken.None);

        await Stores.Watermarks.ResetAsync(pipeline, CancellationToken.None);
        var afterReset = await Stores.Watermarks.GetAsync(pipeline, CancellationToken.None);
        await Stores.Watermarks.ResetAsync(pipeline, CancellationToken.None);
        await Stores.Watermarks.SetAsync(pipeline, Sample.T0.AddDays(-1), "run-b", CancellationToken.None);

        Assert.That(afterReset, Is.Null);
        Assert.That(await Stores.Watermarks.GetAsync(pipeline, CancellationToken.None), Is.EqualTo(Sample.T0.AddDays(-1)));
    }

    [Test]
    public async Task SetAsync_SubMicrosecondTicks_TruncatedToTheMicrosecondLikeEveryTime()
    {
        var pipeline = Sample.Name("taxi");

        await Stores.Watermarks.SetAsync(pipeline, Sample.T0.AddTicks(7), "run-a", CancellationToken.None);

        Assert.That(await Stores.Watermarks.GetAsync(pipeline, CancellationToken.None), Is.EqualTo(Sample.T0));
    }
}
