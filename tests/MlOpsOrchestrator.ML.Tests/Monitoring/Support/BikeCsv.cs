using System.Globalization;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.ML.SampleData;

namespace MlOpsOrchestrator.ML.Tests.Monitoring.Support;

/// <summary>
/// Hourly bike rentals from the product's own generator, written and appended as CSV, and turned into logged requests.
/// The generator's draws do not depend on <see cref="SampleSettings.DriftAt"/>, so the first rows of a drifted stream
/// are byte for byte the rows of the same stream without drift: appending the tail continues the file.
/// </summary>
internal static class BikeCsv
{
    private static readonly BikeRentalsGenerator Generator = new();

    /// <summary>Summer 2025 (all in season "summer", near the yearly temperature peak).</summary>
    public static readonly DateTime Start = new(2025, 6, 10, 0, 0, 0, DateTimeKind.Utc);

    public static string Header => Generator.Header;

    public static List<string> Rows(DateTime start, int count, DateTime? driftAt = null, int seed = 7) =>
        [.. Generator.Rows(new SampleSettings { Start = start, Rows = count, DriftAt = driftAt, Seed = seed })];

    public static void Write(string path, IEnumerable<string> rows) =>
        File.WriteAllLines(path, new[] { Header }.Concat(rows));

    public static void Append(string path, IEnumerable<string> rows) => File.AppendAllLines(path, rows);

    /// <summary>The row with <paramref name="by"/> added to its temperature: a heat wave, the same hours and weather.</summary>
    public static string Warmer(string row, double by)
    {
        var fields = row.Split(',');
        var temp = Array.IndexOf(Header.Split(','), "temp");
        fields[temp] = (double.Parse(fields[temp], CultureInfo.InvariantCulture) + by).ToString(CultureInfo.InvariantCulture);
        return string.Join(',', fields);
    }

    /// <summary>The row's features as serving logs a request: numbers as numbers, a boolean as a boolean, a missing value left out.</summary>
    public static string FeaturesJson(string row)
    {
        var names = Header.Split(',');
        var fields = row.Split(',');
        var json = new JsonObject();
        for (var i = 0; i < names.Length; i++)
        {
            switch (names[i])
            {
                case "ts" or "note" or "rentals":
                    break;
                case "season" or "weekday" or "weather":
                    json[names[i]] = fields[i];
                    break;
                case "holiday":
                    json[names[i]] = fields[i] == "true";
                    break;
                default:
                    if (fields[i].Length > 0)
                    {
                        json[names[i]] = double.Parse(fields[i], CultureInfo.InvariantCulture);
                    }

                    break;
            }
        }

        return json.ToJsonString();
    }
}
