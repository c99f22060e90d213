using MlOpsOrchestrator.ML.Data.Columns;
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

    [Test]
    public void TryNumber_PlainDecimals_MatchTheGeneralParser()
    {
        var random = new Random(3);
        var texts = new List<string> { "0", "-0", "+7", "1.", ".5", "-.5", "007", "123456789012345", "1234567890123456", "0.1", "9007199254740993", "1.7976931348623157", "-", ".", "" };
        for (var i = 0; i < 20_000; i++)
        {
            var whole = random.NextInt64(0, 10_000_000_000);
            var decimals = random.Next(0, 8);
            texts.Add((random.Next(3) == 0 ? "-" : "") + whole + (decimals == 0 ? "" : "." + random.NextInt64(0, 100_000_000).ToString().PadLeft(decimals, '0')[..decimals]));
        }

        foreach (var text in texts)
        {
            var expected = double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed);
            Assert.That(ValueText.TryNumber(text, out var number), Is.EqualTo(expected), text);
            if (expected)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(number), Is.EqualTo(BitConverter.DoubleToInt64Bits(parsed)), text);
            }
        }
    }
}
