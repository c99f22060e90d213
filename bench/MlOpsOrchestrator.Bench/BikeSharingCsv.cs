using System.Globalization;
using System.Text;
using MlOpsOrchestrator.TestSupport;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The UCI bike sharing hourly data (<c>bike_sharing/hour_train.csv</c> and <c>hour_test.csv</c> of the shared real
/// data, two years together) as one file with a <c>ts</c> column (<c>dteday</c> plus <c>hr</c> hours), in time order.
/// Written to the benchmark's temporary folder, never into the repository.
/// </summary>
internal static class BikeSharingCsv
{
    public static async Task WriteAsync(string path, CancellationToken ct)
    {
        var rows = new List<(DateTime At, string Line)>();
        string[]? header = null;
        foreach (var file in new[] { "bike_sharing/hour_train.csv", "bike_sharing/hour_test.csv" })
        {
            var lines = await File.ReadAllLinesAsync(RealData.Require(file), ct);
            header ??= lines[0].Split(',');
            var (day, hour) = (Array.IndexOf(header, "dteday"), Array.IndexOf(header, "hr"));
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var fields = line.Split(',');
                var at = DateTime.ParseExact(fields[day], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
                    .AddHours(int.Parse(fields[hour], CultureInfo.InvariantCulture));
                rows.Add((at, line));
            }
        }

        var text = new StringBuilder("ts,").AppendJoin(',', header!).Append('\n');
        foreach (var (at, line) in rows.OrderBy(r => r.At))
        {
            text.Append(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd HH:mm:ss},").Append(line).Append('\n');
        }

        await File.WriteAllTextAsync(path, text.ToString(), ct);
    }
}
