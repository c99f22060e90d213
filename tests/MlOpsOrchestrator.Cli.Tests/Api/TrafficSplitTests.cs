using MlOpsOrchestrator.Cli.Api;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>The canary split: sticky per key, even over many keys, and a larger share only adds keys to the canary.</summary>
public sealed class TrafficSplitTests
{
    [TestCase(0.01)]
    [TestCase(0.1)]
    [TestCase(0.5)]
    [TestCase(0.9)]
    public void ToCanary_SequentialCustomerKeys_ShareWithinHalfAPoint(double traffic)
    {
        var share = Enumerable.Range(0, 100_000).Count(i => TrafficSplit.ToCanary("churn", $"customer-{i}", traffic)) / 100_000.0;

        Assert.That(share, Is.EqualTo(traffic).Within(0.005));
    }

    [Test]
    public void ToCanary_SameKeyAskedAgain_SameAnswer_AndARaisedShareNeverMovesAKeyBack()
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => $"k{i}").ToList();
        var at10 = keys.Where(k => TrafficSplit.ToCanary("churn", k, 0.1)).ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(keys.Where(k => TrafficSplit.ToCanary("churn", k, 0.1)), Is.EquivalentTo(at10));
            Assert.That(at10.Where(k => !TrafficSplit.ToCanary("churn", k, 0.2)), Is.Empty);
        });
    }

    [Test]
    public void Position_SameKeyOfAnotherModel_IsPlacedIndependently()
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => $"k{i}").ToList();
        var both = keys.Count(k => TrafficSplit.ToCanary("churn", k, 0.1) && TrafficSplit.ToCanary("fraud", k, 0.1));

        Assert.That(both / 10_000.0, Is.EqualTo(0.01).Within(0.005), "one model's canary customers are not always the next model's");
    }
}
