using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Replay;

/// <summary>
/// A pipeline's data read once, in time order, for a replay: when rows arrive (the fires that have something new to
/// read) and which rows each model is scored on. Values stay text, as the source gave them; rows whose timestamp cannot
/// be read are counted and left out here (the runs' own data_prep still sees and reports them).
/// </summary>
public sealed class ReplayTable
{
    private ReplayTable(IReadOnlyList<string> columns, List<string[]> rows, List<long> ticks, int undated)
    {
        Columns = columns;
        Rows = rows;
        Ticks = ticks;
        Undated = undated;
    }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>The dated rows, oldest first (rows with equal timestamps keep their source order).</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The UTC ticks of each row of <see cref="Rows"/>.</summary>
    public IReadOnlyList<long> Ticks { get; }

    /// <summary>Rows whose timestamp is missing or cannot be read.</summary>
    public int Undated { get; }

    public DateTime First => new(Ticks[0], DateTimeKind.Utc);

    public DateTime Newest => new(Ticks[^1], DateTimeKind.Utc);

    /// <summary>The number of rows with a timestamp at or before <paramref name="at"/>.</summary>
    public int CountUntil(DateTime at)
    {
        var (lo, hi) = (0, Ticks.Count);
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (Ticks[mid] <= at.Ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public int Column(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads the pipeline's <c>data.source</c> through <paramref name="sources"/>; null, with the problem, when it cannot.</summary>
    public static async Task<(ReplayTable? Table, string? Problem)> ReadAsync(SourceReaders sources, DataSpec data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Timestamp is not { } timestamp)
        {
            return (null, "the pipeline has no data.timestamp: a replay needs to know when each row arrived");
        }

        var opening = await sources.OpenAsync(new SourceRequest { Source = data.Source, SchemaNames = [.. data.Schema.Select(c => c.Name)] }, ct);
        if (opening.Source is not { } source)
        {
            return (null, opening.Problem);
        }

        using (source)
        {
            var column = source.Columns.ToList().IndexOf(timestamp);
            if (column < 0)
            {
                return (null, $"{source.DisplayName} has no column '{timestamp}' (data.timestamp)");
            }

            var dated = new List<(long Ticks, string[] Row)>();
            var undated = 0;
            using var cursor = source.OpenRecords();
            while (cursor.Read())
            {
                ct.ThrowIfCancellationRequested();
                var record = cursor.Record;
                if (record.Error is not null || record.FieldCount <= column || !ValueText.TryDate(record[column].Trim(), out var at))
                {
                    undated++;
                    continue;
                }

                var row = new string[source.Columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = i < record.FieldCount ? record.FieldText(i) : "";
                }

                dated.Add((at.Ticks, row));
            }

            if (dated.Count == 0)
            {
                return (null, $"{source.DisplayName} has no row with a readable '{timestamp}'");
            }

            var ordered = dated.Select((d, i) => (d.Ticks, d.Row, i)).OrderBy(d => d.Ticks).ThenBy(d => d.i).ToList();
            return (new ReplayTable([.. source.Columns], [.. ordered.Select(d => d.Row)], [.. ordered.Select(d => d.Ticks)], undated), null);
        }
    }
}
