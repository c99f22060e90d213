using System.Globalization;
using MlOpsOrchestrator.ML.Data.Columns;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>
/// Incremental runs parse every timestamp of the source to skip what is older than the watermark; the common shapes
/// take a fast path that must read exactly what the general ISO 8601 formats read.
/// </summary>
[TestFixture]
public sealed class TimestampParsingTests
{
    private static readonly string[] Formats =
        ["yyyy-MM-dd", "yyyy-MM-dd HH:mmK", "yyyy-MM-ddTHH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"];

    [TestCase("2025-01-01")]
    [TestCase("2024-02-29")]
    [TestCase("2025-02-29")]
    [TestCase("2025-13-01")]
    [TestCase("2025-00-10")]
    [TestCase("2025-04-31")]
    [TestCase("0001-01-01")]
    [TestCase("9999-12-31 23:59:59")]
    [TestCase("2025-06-30 23:59:59")]
    [TestCase("2025-06-30T23:59:59")]
    [TestCase("2025-06-30T23:59:59Z")]
    [TestCase("2025-06-30 24:00:00")]
    [TestCase("2025-06-30 23:60:00")]
    [TestCase("2025-06-30 23:59:60")]
    [TestCase("2025-06-30 23:59:59Z")]
    [TestCase("2025-06-30T23:59:59+02:00")]
    [TestCase("2025-06-30 23:59:59.5")]
    [TestCase("2025-06-30 12:30")]
    [TestCase("2025-06-30x12:30:00")]
    [TestCase("2025-6-30 12:30:00")]
    [TestCase("２０２５-06-30")]
    [TestCase("2025-06-3a")]
    public void TryDate_Shape_ReadsWhatTheGeneralFormatsRead(string text)
    {
        var general = DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expected);

        var parsed = ValueText.TryDate(text, out var utc);

        Assert.That(parsed, Is.EqualTo(general));
        if (general)
        {
            Assert.Multiple(() =>
            {
                Assert.That(utc, Is.EqualTo(expected.UtcDateTime));
                Assert.That(utc.Kind, Is.EqualTo(DateTimeKind.Utc));
            });
        }
    }

    [Test]
    public void TryDate_EverySecondOfAYearSampled_MatchesTheGeneralFormats()
    {
        var random = new Random(5);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                var time = start.AddSeconds(random.Next(0, 366 * 24 * 3600));
                foreach (var text in new[] { time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) })
                {
                    Assert.That(ValueText.TryDate(text, out var utc) && utc == time, Is.True, text);
                }
            }
        });
    }
}
