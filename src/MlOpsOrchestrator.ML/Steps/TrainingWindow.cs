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
    public static (IDataView Rows, IDataView File, string Description, string? HoldoutExcluded) Load(
        MLContext ml, IArtifactStore artifacts, StepRecord prep, TrainStep step, DatasetSchema schema, ModelVersion? production, HoldoutSpec? holdout,
        int? minRows)
    {
        var (rows, file, description) = Load(ml, artifacts, prep, step, schema);
        if (holdout is null || schema.Timestamp is not { } timestamp
            || production?.Properties.GetValueOrDefault(ModelProperties.Holdout) is not { } path || !artifacts.Exists(path)
            || !EvaluationRows.TrySpan(production, out var from, out var through))
        {
            return (rows, file, description, null);
        }

        // Left out, so evaluate judges the window model on the lineage's holdout, as it judges production (neither trained on it).
        var start = EvaluationRows.Start(holdout, from, through);
        var held = ml.Data.LoadFromBinary(artifacts.PathOf(path));
        try
        {
            var (kept, removed) = EvaluationRows.Without(rows, held, timestamp, start);
            var left = Count(kept);
            if (minRows is { } floor && left < floor)
            {
                // The window never starves for the holdout: it keeps those rows, and evaluate judges it on its slice alone.
                return (rows, file, string.Create(CultureInfo.InvariantCulture,
                    $"{description} (the {removed:N0} holdout rows of {production.Name} v{production.Version}'s lineage kept in it: without them only {left:N0} rows, below min_rows {floor:N0})"), null);
            }

            return (kept, file, string.Create(CultureInfo.InvariantCulture,
                $"{description}, without the {removed:N0} holdout rows of {production.Name} v{production.Version}'s lineage evaluate judges on"), path);
        }
        finally
        {
            (held as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// The widest <c>holdout</c> of the <c>evaluate</c> steps that judge <paramref name="train"/> (list it in their needs),
    /// the one reaching furthest back; null when no evaluate step judges it.
    /// </summary>
    public static HoldoutSpec? EvaluatedOn(PipelineSpec spec, TrainStep train, DateTime from, DateTime through) =>
        spec.Steps.OfType<EvaluateStep>().Where(e => e.Needs.Contains(train.Id))
            .Select(e => e.Holdout).OrderBy(h => EvaluationRows.Start(h, from, through)).FirstOrDefault();

    private static (IDataView Rows, IDataView File, string Description) Load(
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
