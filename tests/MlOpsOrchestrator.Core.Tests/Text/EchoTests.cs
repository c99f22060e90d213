using MlOpsOrchestrator.Text;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Text;

[TestFixture]
public sealed class EchoTests
{
    [Test]
    public void Value_Short_AsIs()
    {
        Assert.That(Echo.Value("churned"), Is.EqualTo("churned"));
    }

    [Test]
    public void Value_Long_CutAndSaysHowManyMore()
    {
        Assert.That(Echo.Value(new string('x', 1_000_000), max: 10), Is.EqualTo("xxxxxxxxxx… (999,990 more characters)"));
    }

    [Test]
    public void Value_CutInsideASurrogatePair_KeepsThePairWhole()
    {
        var value = "abc\U0001F600def";

        Assert.That(Echo.Value(value, max: 4), Is.EqualTo("abc… (5 more characters)"));
    }

    [Test]
    public void List_Short_JoinedWithEveryItem()
    {
        Assert.That(Echo.List(["a", "b", "c"]), Is.EqualTo("a, b, c"));
    }

    [Test]
    public void List_Long_FirstItemsAndTheCountOfTheRest()
    {
        var items = Enumerable.Range(0, 1254).Select(i => $"c{i}");

        Assert.That(Echo.List(items, max: 3), Is.EqualTo("c0, c1, c2, ... (1,251 more)"));
    }

    [Test]
    public void Quoted_HugeItems_EachCutAndQuoted()
    {
        var text = Echo.Quoted([new string('a', 5_000_000), "b"]);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("'aaaa").And.EndWith(" more characters)', 'b'"));
            Assert.That(text, Has.Length.LessThan(200));
        });
    }
}
