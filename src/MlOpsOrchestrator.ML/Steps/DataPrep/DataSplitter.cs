using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// Cuts the stored rows into train and test. <c>random</c>: a Fisher–Yates shuffle seeded by <c>split.seed</c>
/// (the same data and seed always give the same split), both parts then kept in source order. <c>time</c>: rows
/// ordered by timestamp (ties in source order), the oldest for training and the newest for testing. The test part
/// gets round(rows × test_fraction) rows, at least one and never all (a single row goes to training).
/// </summary>
internal static class DataSplitter
{
    public static (int[] Train, int[] Test) Split(SplitSpec split, int rows, DateColumn? timestamp) =>
        Split(split, Enumerable.Range(0, rows).ToArray(), timestamp);

    /// <summary>
    /// Splits only the stored rows listed in <paramref name="rows"/> (ascending), e.g. an incremental slice among older
    /// rows read for a window; the result holds those row indices. The same rows and seed always give the same split.
    /// </summary>
    public static (int[] Train, int[] Test) Split(SplitSpec split, int[] rows, DateColumn? timestamp)
    {
        var count = rows.Length;
        var testCount = TestCount(count, split.TestFraction);
        if (split.By == SplitBy.Time && timestamp is not null)
        {
            // Positions into rows: rows ascend, so comparing positions keeps source order.
            var positions = Enumerable.Range(0, count).ToArray();
            var ticks = new long[count];
            for (var i = 0; i < count; i++)
            {
                ticks[i] = timestamp.Ticks(rows[i]);
            }

            // Array.Sort is unstable; the index breaks ties so equal timestamps keep source order.
            Array.Sort(positions, (a, b) => ticks[a] != ticks[b] ? ticks[a].CompareTo(ticks[b]) : a.CompareTo(b));
            var ordered = Array.ConvertAll(positions, p => rows[p]);
            return (ordered[..(count - testCount)], ordered[(count - testCount)..]);
        }

        var shuffled = (int[])rows.Clone();
        var random = new Random(split.Seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        var test = shuffled[..testCount];
        var train = shuffled[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return (train, test);
    }

    public static int TestCount(int rows, double fraction) =>
        rows < 2 ? 0 : Math.Clamp((int)Math.Round(rows * fraction, MidpointRounding.AwayFromZero), 1, rows - 1);
}
