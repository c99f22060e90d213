using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data;

/// <summary>
/// Cuts the stored rows into train and test. <c>random</c>: a Fisher–Yates shuffle seeded by <c>split.seed</c>
/// (the same data and seed always give the same split), both parts then kept in source order. <c>time</c>: rows
/// ordered by timestamp (ties in source order), the oldest for training and the newest for testing. The test part
/// gets round(rows × test_fraction) rows, at least one and never all (a single row goes to training).
/// </summary>
internal static class DataSplitter
{
    public static (int[] Train, int[] Test) Split(SplitSpec split, int rows, DateColumn? timestamp)
    {
        var testCount = TestCount(rows, split.TestFraction);
        if (split.By == SplitBy.Time && timestamp is not null)
        {
            var ordered = Enumerable.Range(0, rows).ToArray();
            var ticks = new long[rows];
            for (var i = 0; i < rows; i++)
            {
                ticks[i] = timestamp.Ticks(i);
            }

            // Array.Sort is unstable; the index breaks ties so equal timestamps keep source order.
            Array.Sort(ordered, (a, b) => ticks[a] != ticks[b] ? ticks[a].CompareTo(ticks[b]) : a.CompareTo(b));
            return (ordered[..(rows - testCount)], ordered[(rows - testCount)..]);
        }

        var shuffled = Enumerable.Range(0, rows).ToArray();
        var random = new Random(split.Seed);
        for (var i = rows - 1; i > 0; i--)
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
