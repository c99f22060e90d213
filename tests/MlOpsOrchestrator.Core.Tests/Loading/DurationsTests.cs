using MlOpsOrchestrator.Loading;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

[TestFixture]
public sealed class DurationsTests
{
    [TestCase("90s", 90)]
    [TestCase("15m", 15 * 60)]
    [TestCase("1h", 3600)]
    [TestCase("7d", 7 * 86400)]
    [TestCase("2w", 14 * 86400)]
    [TestCase("0015m", 15 * 60)]
    public void Parse_Valid_GivesTheDuration(string text, int seconds)
    {
        Assert.That(Durations.Parse(text), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("0m")]
    [TestCase("7 days")]
    [TestCase("1.5h")]
    [TestCase("-1h")]
    [TestCase("+1h")]
    [TestCase("h")]
    [TestCase("15")]
    [TestCase("")]
    [TestCase(" 1h")]
    [TestCase("1H")]
    [TestCase("1y")]
    [TestCase("1h30m")]
    [TestCase("99999999999d")]
    public void Parse_Invalid_ReturnsNull(string text)
    {
        Assert.That(Durations.Parse(text), Is.Null);
    }

    [TestCase("2000000000w")]
    [TestCase("99999999d")]
    public void Parse_BeyondTheLargestTimeSpan_ReturnsNullInsteadOfThrowing(string text)
    {
        Assert.That(() => Durations.Parse(text), Throws.Nothing);
        Assert.That(Durations.Parse(text), Is.Null);
    }
}
