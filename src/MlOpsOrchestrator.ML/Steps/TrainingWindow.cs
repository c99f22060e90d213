using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// <c>incremental: { strategy: window }</c>: the rows a train step retrains on in an incremental run. data_prep writes
/// them (see <see cref="IncrementalWindow"/>): the newest rows of the pipeline's largest window, without the test rows.
/// A step whose own window is narrower keeps only the rows from <c>newest − its window</c>.
/// </summary>
internal static class TrainingWindow
{
    private const string TimestampCopy = "__window_ts";

    /// <summary>The window's training rows, and the file behind them (dispose it when done).</summary>
    /// <exception cref="StepInputException">The data_prep step wrote no window, or its result does not say where it starts.</exception>
    public static (IDataView Rows, IDataView File, string Description) Load(
        MLContext ml, IArtifactStore artifacts, StepRecord prep, TrainStep step, DatasetSchema schema)
    {
        var window = step.Incremental?.Window
            ?? throw new StepInputException($"train step '{step.Id}' has 'strategy: window' without a 'window'");
        if (!prep.Artifacts.ContainsKey(IncrementalWindow.Artifact))
        {
            throw new StepInputException(
                $"train step '{step.Id}' retrains on a {Duration(window)} window, but data_prep step '{prep.StepId}' wrote no window dataset "
                + "(it writes one in incremental runs for the train steps that need it)");
        }

        var file = ml.Data.LoadFromBinary(StepArtifacts.PathOf(artifacts, prep, IncrementalWindow.Artifact));
        var result = prep.Result as PrepResult;
        var written = Instant(prep, result?.WindowStart, "window start");
        var newest = Instant(prep, result?.Watermark, "watermark");
        var start = newest.Ticks > window.Ticks ? newest - window : DateTime.MinValue;
        if (start <= written || schema.Timestamp is not { } timestamp)
        {
            return (file, file, $"the newest {Duration(window)} of data (from {Iso(written)})");
        }

        // A narrower window than data_prep wrote: drop the older rows (the predicate says which rows to drop).
        var copied = ml.Transforms.CopyColumns(TimestampCopy, timestamp).Fit(file).Transform(file);
        var kept = ml.Data.FilterByCustomPredicate<TimestampRow>(copied, row => row.Value < start);
        var rows = ml.Transforms.DropColumns(TimestampCopy).Fit(kept).Transform(kept);
        return (rows, file, $"the newest {Duration(window)} of data (from {Iso(start)})");
    }

    /// <summary>Rows of a view whose count is not known up front (a filtered window).</summary>
    public static long Count(IDataView view)
    {
        if (view.GetRowCount() is { } known)
        {
            return known;
        }

        var count = 0L;
        using var cursor = view.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }

    private static DateTime Instant(StepRecord prep, DateTimeOffset? value, string what) =>
        value?.UtcDateTime ?? throw new StepInputException($"data_prep step '{prep.StepId}' recorded no {what}");

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) => IncrementalWindow.Text(span);

    internal sealed class TimestampRow
    {
        [ColumnName(TimestampCopy)]
        public DateTime Value { get; set; }
    }
}
