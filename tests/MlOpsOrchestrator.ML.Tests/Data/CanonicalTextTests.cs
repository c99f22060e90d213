using System.Globalization;
using MlOpsOrchestrator.ML.Data.Columns;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

[TestFixture]
public sealed class CanonicalTextTests
{
    [Test]
    public void AppendNumber_AnyFloat_WritesTheRoundTripText()
    {
        var random = new Random(5);
        var values = new List<float> { 0f, -0f, 1f, -1f, 9_999_999f, 10_000_000f, 16_777_216f, 1e15f, 1e-7f, 0.1f, 60.36f, float.MaxValue, float.MinValue, float.Epsilon };
        for (var i = 0; i < 20_000; i++)
        {
            values.Add(random.Next(4) switch
            {
                0 => random.Next(-20_000_000, 20_000_000),
                1 => (float)Math.Round(random.NextDouble() * 200, 2),
                2 => BitConverter.Int32BitsToSingle(random.Next()),
                _ => (float)(random.NextDouble() * Math.Pow(10, random.Next(-10, 30))),
            });
        }

        var text = new CanonicalText();
        foreach (var value in values.Where(v => float.IsFinite(v)))
        {
            text.Clear();
            text.AppendNumber(value);
            Assert.That(text.Span.ToString(), Is.EqualTo(value.ToString("R", CultureInfo.InvariantCulture)), $"{value:R}");
        }
    }

    [Test]
    public void AppendIso_AnyInstant_WritesWhatIsoWrites()
    {
        var random = new Random(9);
        var ticks = new List<long> { 0, DateTime.MaxValue.Ticks, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks, new DateTime(2011, 1, 1, 10, 30, 0, DateTimeKind.Utc).Ticks + 2_500_000, 1 };
        for (var i = 0; i < 20_000; i++)
        {
            var instant = random.NextInt64(0, DateTime.MaxValue.Ticks);
            ticks.Add(random.Next(3) switch
            {
                0 => instant - (instant % TimeSpan.TicksPerSecond),
                1 => instant - (instant % TimeSpan.TicksPerMillisecond),
                _ => instant,
            });
        }

        var text = new CanonicalText();
        foreach (var value in ticks)
        {
            text.Clear();
            text.AppendIso(value);
            Assert.That(text.Span.ToString(), Is.EqualTo(ValueText.Iso(new DateTime(value, DateTimeKind.Utc))));
        }
    }

    [TestCase("plain")]
    [TestCase("tab\there, back\\slash, line\nbreak\r")]
    [TestCase("")]
    public void AppendEscaped_Text_WritesWhatEscapeWrites(string value)
    {
        var text = new CanonicalText();
        text.AppendEscaped(value);
        var expected = new System.Text.StringBuilder();
        Canonical.Escape(value, expected);
        Assert.That(text.Span.ToString(), Is.EqualTo(expected.ToString()));
    }
}
