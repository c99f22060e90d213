using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>"Did you mean" for typos: the closest candidate by edit distance, when it is close enough to be the intent.</summary>
internal static class Suggest
{
    private const int MaxMeasured = 100_000;

    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var allowed = Math.Max(2, typed.Length / 3);
        var lower = typed.ToLowerInvariant();
        var measured = 0;
        foreach (var candidate in candidates)
        {
            // The distance is at least the difference in length: a candidate that far off cannot be the intent, and
            // measuring it would cost its length times the typed length (a header of one 50 MB name).
            if (Math.Abs(candidate.Length - typed.Length) > allowed)
            {
                continue;
            }

            // A hint, not a search: past this many candidates (a header of millions of columns) none is suggested.
            if (++measured > MaxMeasured)
            {
                break;
            }

            var distance = Distance(lower, candidate, ignoreCase: true, limit: Math.Min(allowed, bestDistance));
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= allowed ? best : null;
    }

    /// <summary>" did you mean 'x'?" or, when nothing is close, " valid: a, b, c".</summary>
    public static string Hint(string typed, IReadOnlyCollection<string> candidates)
    {
        var closest = Closest(typed, candidates);
        return closest is not null
            ? $"; did you mean '{Echo.Value(closest)}'?"
            : candidates.Count == 0 ? "" : $"; valid: {Echo.List(candidates)}";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1.</summary>
    internal static int Distance(string a, string b) => Distance(a, b, ignoreCase: false, limit: int.MaxValue - 1);

    /// <summary>
    /// Three rows of the table instead of all of it, on the stack when short: a header of millions of columns is
    /// measured without allocating per column. With <paramref name="ignoreCase"/>, <paramref name="a"/> is lower case already.
    /// Stops early with <paramref name="limit"/> + 1 once every path costs more than <paramref name="limit"/>.
    /// </summary>
    private static int Distance(string a, string b, bool ignoreCase, int limit)
    {
        var width = b.Length + 1;
        var rows = width <= 256 ? stackalloc int[3 * width] : new int[3 * width];
        Span<int> before = rows[..width], previous = rows.Slice(width, width), current = rows.Slice(2 * width, width);
        for (var j = 0; j < width; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMinimum = i;
            for (var j = 1; j < width; j++)
            {
                var bj = ignoreCase ? char.ToLowerInvariant(b[j - 1]) : b[j - 1];
                var cost = a[i - 1] == bj ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == (ignoreCase ? char.ToLowerInvariant(b[j - 2]) : b[j - 2]) && a[i - 2] == bj)
                {
                    d = Math.Min(d, before[j - 2] + 1);
                }

                current[j] = d;
                rowMinimum = Math.Min(rowMinimum, d);
            }

            // A cell's value never falls below the smaller of the two rows above it (a swap reaches back two rows).
            if (rowMinimum > limit && Min(previous) > limit)
            {
                return limit + 1;
            }

            var spent = before;
            before = previous;
            previous = current;
            current = spent;
        }

        return previous[width - 1];
    }

    private static int Min(Span<int> row)
    {
        var minimum = int.MaxValue;
        foreach (var value in row)
        {
            minimum = Math.Min(minimum, value);
        }

        return minimum;
    }
}
