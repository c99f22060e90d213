using System.Globalization;
using System.Text;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>Small CSV texts for the tests: a header and generated rows.</summary>
internal static class SampleCsv
{
    public static string Of(string header, int rows, Func<int, string> row)
    {
        var text = new StringBuilder(header).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            text.Append(row(i)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// <c>ts,temp,city,label</c>: hourly from 2024-01-01 00:00 UTC, temp = i % 30, city one of three, label =
    /// temp * 2 + 1 (regression) — every value valid.
    /// </summary>
    public static string Weather(int rows) =>
        Of("ts,temp,city,label", rows, i => string.Create(
            CultureInfo.InvariantCulture,
            $"{Hour(i)},{i % 30},{Cities[i % 3]},{(i % 30 * 2) + 1}"));

    public static string Hour(int i) =>
        new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static readonly string[] Cities = ["Oslo", "Lima", "Pune"];
}
