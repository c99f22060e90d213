using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>"Did you mean" for typos: the closest candidate by edit distance, when it is close enough to be the intent.</summary>
internal static class Suggest
{
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var allowed = Math.Max(2, typed.Length / 3);
        foreach (var candidate in candidates)
        {
            // The distance is at least the difference in length: a candidate that far off cannot be the intent, and
            // measuring it would cost its length times the typed length (a header of one 50 MB name).
            if (Math.Abs(candidate.Length - typed.Length) > allowed)
            {
                continue;
            }

            var distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
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
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
