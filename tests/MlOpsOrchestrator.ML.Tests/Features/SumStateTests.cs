using MlOpsOrchestrator.ML.Features;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Features;

/// <summary>
/// A windowed sum is the same bits however the window got to its events: sliding along many asked times (the training
/// join) or seeing only the recent events once (an online lookup), so online and offline values are equal, not close.
/// </summary>
[TestFixture]
public sealed class SumStateTests
{
    [Test]
    public void ValueAt_SlidingOrFresh_SameBits()
    {
        var window = TimeSpan.FromTicks(10);
        var values = new[] { 0.1, 1e16, 0.7, -1e16, 0.3, 0.2, 1.1, 3.3, 0.01, 2.2 };
        var sliding = new SumState(window, mean: true);
        for (var t = 0; t < values.Length; t++)
        {
            sliding.Add(t * 4, values[t]);
            sliding.ValueAt(t * 4);
        }

        var at = (values.Length - 1) * 4;
        var fresh = new SumState(window, mean: true);
        for (var t = 0; t < values.Length; t++)
        {
            if (t * 4 > at - window.Ticks)
            {
                fresh.Add(t * 4, values[t]);
            }
        }

        Assert.That(BitConverter.DoubleToInt64Bits(sliding.ValueAt(at)), Is.EqualTo(BitConverter.DoubleToInt64Bits(fresh.ValueAt(at))));
        Assert.That(fresh.ValueAt(at), Is.EqualTo((3.3 + 0.01 + 2.2) / 3), "the window holds the last three events");
    }
}
