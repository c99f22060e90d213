using System.Globalization;

namespace MlOpsOrchestrator.Bench;

/// <summary>The whole machine's CPU counters (Linux <c>/proc/stat</c>), to tell a saturated machine from a slow path.</summary>
internal readonly record struct MachineCpu(long Used, long Total)
{
    public static MachineCpu? Read()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4];
            var total = fields.Take(8).Sum();
            return new MachineCpu(total - idle, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>How busy the machine is over <paramref name="period"/> before a benchmark starts: other work on it skews every figure.</summary>
    public static async Task<string> SampleAsync(TimeSpan period, CancellationToken ct)
    {
        var from = Read();
        await Task.Delay(period, ct);
        return Busy(from, Read());
    }

    /// <summary><c>73% busy</c> between two readings (all cores together).</summary>
    public static string Busy(MachineCpu? from, MachineCpu? to) =>
        from is { } a && to is { } b && b.Total > a.Total
            ? ((double)(b.Used - a.Used) / (b.Total - a.Total)).ToString("P0", CultureInfo.InvariantCulture) + " busy"
            : "?";
}
