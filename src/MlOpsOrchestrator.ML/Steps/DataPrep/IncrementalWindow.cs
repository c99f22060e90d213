using System.Globalization;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// How an incremental run feeds <c>incremental: { strategy: window }</c> train steps. One mechanism, in data_prep:
/// <list type="bullet">
/// <item>In incremental mode, when a train step downstream of this data_prep retrains on a window, the source is read
/// from <c>watermark − largest window</c> instead of from the watermark (a CSV by the timestamp column; a
/// <c>postgres</c> query gets that instant as <c>@watermark</c>). Every row read is typed and validated as usual.</item>
/// <item>The slice (rows newer than the watermark) alone makes the train/test split, the result and the watermark,
/// exactly as without a window, so warm-start steps, <c>evaluate</c> and the run's watermark see the same data.</item>
/// <item>The window is the rows with <c>timestamp ≥ newest − largest window</c>, without the slice's test rows (so the
/// window model is never trained on what <c>evaluate</c> measures it on). It is written as one extra artifact,
/// <see cref="Artifact"/> (<c>window.idv</c>, same columns as <c>train.idv</c>), with its rows and first instant in the
/// step's result (<see cref="PrepResult.WindowRows"/>, <see cref="PrepResult.WindowStart"/>); the data profile then describes the window's rows, what a window model learns from.</item>
/// <item>A train step with a narrower window than the largest keeps only the rows from <c>newest − its window</c>.</item>
/// </list>
/// Rows between <c>watermark − window</c> and <c>newest − window</c> are read and validated but not used: that margin
/// is as long as the time since the last successful run. The data hash and the checks cover every row read. No row
/// newer than the watermark still means an empty run (nothing trained or deployed), whatever older rows the window has.
/// </summary>
public static class IncrementalWindow
{
    /// <summary>The data_prep artifact with the window's training rows (an <c>.idv</c> file like <c>train</c>).</summary>
    public const string Artifact = "window";

    /// <summary>
    /// The largest <c>window</c> of the train steps that retrain on a window and take their data from
    /// <paramref name="prepStepId"/> (it is among their ancestors), or null when there is none.
    /// </summary>
    public static TimeSpan? Largest(PipelineSpec pipeline, string prepStepId)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        TimeSpan? largest = null;
        foreach (var train in pipeline.Steps.OfType<TrainStep>())
        {
            if (train.Incremental is { Strategy: IncrementalStrategy.Window, Window: { } window }
                && window > TimeSpan.Zero
                && Ancestors(pipeline, train).Contains(prepStepId)
                && (largest is null || window > largest))
            {
                largest = window;
            }
        }

        return largest;
    }

    /// <summary>A window as the YAML writes it when it is whole days, hours or minutes (<c>7d</c>), else as a time span.</summary>
    public static string Text(TimeSpan span) => span.Ticks switch
    {
        var t when t % TimeSpan.TicksPerDay == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerDay}d"),
        var t when t % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerHour}h"),
        var t when t % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerMinute}m"),
        _ => span.ToString("c", CultureInfo.InvariantCulture),
    };

    /// <summary>Where reading starts: <paramref name="window"/> before the watermark (null: from the beginning).</summary>
    internal static DateTimeOffset? ReadFrom(DateTimeOffset? watermark, TimeSpan? window)
    {
        if (watermark is not { } mark || window is not { } span)
        {
            return watermark;
        }

        return mark.UtcTicks - DateTimeOffset.MinValue.UtcTicks > span.Ticks ? mark - span : null;
    }

    /// <summary>The first instant of a window that ends at <paramref name="newestTicks"/> (UTC ticks), clamped at the start of time.</summary>
    internal static long StartTicks(long newestTicks, TimeSpan window) =>
        newestTicks - DateTime.MinValue.Ticks > window.Ticks ? newestTicks - window.Ticks : DateTime.MinValue.Ticks;

    /// <summary>The stored rows newer than <paramref name="afterTicks"/> (all when null), in source order.</summary>
    internal static int[] Newer(DateColumn timestamp, int rows, long? afterTicks)
    {
        if (afterTicks is not { } after)
        {
            return Enumerable.Range(0, rows).ToArray();
        }

        var newer = new List<int>(rows);
        for (var row = 0; row < rows; row++)
        {
            if (timestamp.Ticks(row) > after)
            {
                newer.Add(row);
            }
        }

        return [.. newer];
    }

    /// <summary>The rows at or after <paramref name="startTicks"/> that are not test rows, in source order.</summary>
    internal static int[] Rows(DateColumn timestamp, int rows, long startTicks, IReadOnlyCollection<int> testRows)
    {
        var test = testRows.Count == 0 ? null : testRows.ToHashSet();
        var window = new List<int>();
        for (var row = 0; row < rows; row++)
        {
            if (timestamp.Ticks(row) >= startTicks && test?.Contains(row) != true)
            {
                window.Add(row);
            }
        }

        return [.. window];
    }

    /// <summary>The newest timestamp among <paramref name="rows"/>, as UTC ticks.</summary>
    internal static long Newest(DateColumn timestamp, IReadOnlyList<int> rows)
    {
        var newest = long.MinValue;
        foreach (var row in rows)
        {
            newest = Math.Max(newest, timestamp.Ticks(row));
        }

        return newest;
    }

    private static HashSet<string> Ancestors(PipelineSpec pipeline, StepSpec step)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(step.Needs);
        while (queue.TryDequeue(out var id))
        {
            if (seen.Add(id) && pipeline.Step(id) is { } need)
            {
                foreach (var next in need.Needs)
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen;
    }
}
