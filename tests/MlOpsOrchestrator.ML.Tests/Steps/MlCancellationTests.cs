using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.ML.Steps;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps;

/// <summary>A cancelled step's token stops an ML.NET fit while it runs, not after it: how a cancelled run stops training.</summary>
public sealed class MlCancellationTests
{
    private sealed class Row
    {
        [VectorType(8)]
        public float[] Features { get; init; } = [];

        public float Label { get; init; }
    }

    [Test]
    public void Link_TokenCancelledDuringAFit_TheFitStopsAsCancelled()
    {
        Assert.That(MlCancellation.Supported, Is.True, "ML.NET's cancel method was not found");
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 50_000).Select(_ =>
        {
            var features = Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble()).ToArray();
            return new Row { Features = features, Label = features.Sum() + (float)random.NextDouble() };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.Regression.Trainers.FastTree(numberOfTrees: 5000, numberOfLeaves: 63);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        using var link = MlCancellation.Link(ml, cancel.Token);

        var clock = Stopwatch.StartNew();
        var stopped = Assert.Catch(() => trainer.Fit(data));
        Assert.That(MlCancellation.IsCancellation(stopped!, cancel.Token), Is.True, $"the fit ended otherwise: {stopped}");
        TestContext.Out.WriteLine($"the fit stopped {clock.Elapsed.TotalSeconds:0.0} s after it started");
    }

    [Test]
    public void IsCancellation_AggregateOfCancellations_OnlyWhenTheTokenWasCancelled()
    {
        var parallel = new AggregateException(new OperationCanceledException(), new OperationCanceledException());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Multiple(() =>
        {
            Assert.That(MlCancellation.IsCancellation(parallel, cancelled.Token), Is.True);
            Assert.That(MlCancellation.IsCancellation(parallel, CancellationToken.None), Is.False, "not cancelled: a failure");
            Assert.That(MlCancellation.IsCancellation(new AggregateException(new OperationCanceledException(), new InvalidOperationException("x")), cancelled.Token), Is.False);
        });
    }
}
