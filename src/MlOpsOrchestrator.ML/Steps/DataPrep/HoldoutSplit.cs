using System.Globalization;
using Microsoft.ML;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// A random split of a full run that keeps production's holdout held out. A fresh shuffle would put into the new test
/// set mostly rows the production model trained on (with 20 % test rows, four in five of them), so production would
/// look better than it is on the very rows evaluate compares it on, and a retrain could hardly ever replace it. So,
/// when a model is in production and records its lineage's holdout (<see cref="ModelProperties.Holdout"/>): the test
/// rows are first the rows of that holdout (recognised by their timestamp), then rows newer than the data production
/// was trained on (<see cref="ModelProperties.DataThrough"/>), then, only if still short, the others; each group
/// shuffled by <c>split.seed</c>, and as many test rows as a plain split. The test set then holds only rows neither
/// model trained on, as long as the data allows.
/// </summary>
internal sealed record HoldoutSplit(HashSet<long> HoldoutTicks, long? ThroughTicks, string Label)
{
    /// <summary>What to keep held out, or null when a plain split applies (no production, no holdout, no timestamp).</summary>
    public static async Task<HoldoutSplit?> FindAsync(StepContext context, IModelRegistry registry, IArtifactStore artifacts, DataSpec data, CancellationToken ct)
    {
        if (data.Timestamp is not { } timestamp
            || await ProductionModel.FindAsync(registry, context, EvaluateExecutor.ProductionAlias, ct) is not { } production
            || production.Properties.GetValueOrDefault(ModelProperties.Holdout) is not { } path
            || !artifacts.Exists(path))
        {
            return null;
        }

        var ticks = new HashSet<long>();
        var ml = new MLContext(seed: 0);
        var view = ml.Data.LoadFromBinary(artifacts.PathOf(path));
        try
        {
            if (view.Schema.GetColumnOrNull(timestamp) is not { } column || column.Type.RawType != typeof(DateTime))
            {
                return null;
            }

            using var cursor = view.GetRowCursor([column]);
            var getter = cursor.GetGetter<DateTime>(column);
            DateTime value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                ticks.Add(value.Ticks);
            }
        }
        finally
        {
            (view as IDisposable)?.Dispose();
        }

        long? through = DateTimeOffset.TryParse(production.Properties.GetValueOrDefault(ModelProperties.DataThrough), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var at) ? at.UtcTicks : null;
        return new HoldoutSplit(ticks, through, $"{production.Name} v{production.Version}");
    }

    /// <summary>The split of <paramref name="rows"/> (ascending), both parts in source order, and how many test rows came from the holdout.</summary>
    public (int[] Train, int[] Test, int Kept) Split(SplitSpec split, int[] rows, DateColumn timestamp)
    {
        var testCount = DataSplitter.TestCount(rows.Length, split.TestFraction);
        var (held, newer, others) = (new List<int>(), new List<int>(), new List<int>());
        foreach (var row in rows)
        {
            var ticks = timestamp.Ticks(row);
            (HoldoutTicks.Contains(ticks) && (ThroughTicks is null || ticks <= ThroughTicks) ? held
                : ThroughTicks is { } through && ticks > through ? newer
                : others).Add(row);
        }

        var random = new Random(split.Seed);
        var ordered = Shuffle(held, random).Concat(Shuffle(newer, random)).Concat(Shuffle(others, random)).ToArray();
        var test = ordered[..testCount];
        var train = ordered[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return (train, test, Math.Min(held.Count, testCount));
    }

    private static List<int> Shuffle(List<int> rows, Random random)
    {
        for (var i = rows.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }

        return rows;
    }
}
