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
/// them (see <see cref="IncrementalWindow"/>): the pipeline's largest window of rows before the held-out rows, without
/// the test rows. A step whose own window is narrower keeps only the rows from <c>window end − its window</c>.
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
        // Runs recorded before the window had an end measured it from the newest row.
        var end = Instant(prep, result?.WindowEnd ?? result?.Watermark, "window end");
        var start = end.Ticks > window.Ticks ? end - window : DateTime.MinValue;
        if (start <= written || schema.Timestamp is not { } timestamp)
        {
            return (file, file, $"the newest {Duration(window)} of data not held out (from {Iso(written)} to {Iso(end)})");
        }

        // A narrower window than data_prep wrote: drop the older rows (the predicate says which rows to drop).
        var copied = ml.Transforms.CopyColumns(TimestampCopy, timestamp).Fit(file).Transform(file);
        var kept = ml.Data.FilterByCustomPredicate<TimestampRow>(copied, row => row.Value < start);
        var rows = ml.Transforms.DropColumns(TimestampCopy).Fit(kept).Transform(kept);
        return (rows, file, $"the newest {Duration(window)} of data not held out (from {Iso(start)} to {Iso(end)})");
    }

    /// <summary>
    /// The floor a window model must reach, when <paramref name="rows"/> is below it: the <c>checks.min_rows</c> of the
    /// data_prep step, the size the pipeline's author asks of a training set (an incremental slice is exempt from it,
    /// a window model is not: it is a model trained from scratch, like a full run's). Null when the window is enough.
    /// </summary>
    public static int? TooFew(StepContext context, StepRecord prep, long rows) =>
        context.Definition.Spec.Step(prep.StepId) is DataPrepStep { Checks.MinRows: { } min } && rows < min ? min : null;

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
