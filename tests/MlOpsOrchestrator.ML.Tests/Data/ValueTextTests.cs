using MlOpsOrchestrator.ML.Data;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

[TestFixture]
public sealed class ValueTextTests
{
    [TestCase("1.", 1.0)]
    [TestCase("-2.5e1", -25.0)]
    [TestCase("64.0", 64.0)]
    public void TryNumber_NumberText_Parses(string text, double expected)
    {
        Assert.That(ValueText.TryNumber(text, out var number), Is.True);
        Assert.That(number, Is.EqualTo(expected));
    }

    [TestCase("abc")]
    [TestCase("1,000")]
    [TestCase("Infinity")]
    [TestCase("NaN")]
    public void TryNumber_NotAFiniteNumber_Fails(string text) => Assert.That(ValueText.TryNumber(text, out _), Is.False);

    [TestCase("2011-01-01", "2011-01-01T00:00:00Z")]
    [TestCase("2011-01-01 10:30:00", "2011-01-01T10:30:00Z")]
    [TestCase("2011-01-01T10:30:00.25Z", "2011-01-01T10:30:00.25Z")]
    [TestCase("2011-01-01T12:30:00+02:00", "2011-01-01T10:30:00Z")]
    public void TryDate_Iso8601_ParsesAsUtc(string text, string expected)
    {
        Assert.That(ValueText.TryDate(text, out var utc), Is.True);
        Assert.That(ValueText.Iso(utc), Is.EqualTo(expected));
    }

    [TestCase("01/02/2011")]
    [TestCase("2011-13-01")]
    [TestCase("yesterday")]
    public void TryDate_OtherText_Fails(string text) => Assert.That(ValueText.TryDate(text, out _), Is.False);
}
