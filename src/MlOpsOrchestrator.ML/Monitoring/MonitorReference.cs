using System.Globalization;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// What a <c>monitor</c> step's window is held against, as it was decided for this run: the columns to score against
/// (the training profile's, or <see cref="ReferenceProfile"/> of earlier rows), the <c>reference</c> actually used and
/// the words for the message (which also say when the reference asked for fell back to the training data).
/// </summary>
internal sealed record MonitorReference(IReadOnlyList<ColumnProfile> Columns, string Name, string Description)
{
    public static MonitorReference Choose(MonitorStep step, MonitoredModel model, IReadOnlyList<ColumnProfile> monitored, DataWindow? data)
    {
        var training = $"the training data of {model.ReferenceLabel}";
        if (step.Reference == DriftReference.Training)
        {
            return new MonitorReference(monitored, "training", training);
        }

        if (data?.Reference is { } rows)
        {
            return new MonitorReference(ReferenceProfile.From(monitored, rows), Word(step.Reference), data.ReferenceNote ?? Word(step.Reference));
        }

        var why = data?.ReferenceNote
            ?? $"reference {Word(step.Reference)} needs a window of the pipeline's data (data.timestamp), so the logged requests were compared with the training data instead";
        return new MonitorReference(monitored, "training", $"{training} ({why})");
    }

    /// <summary>
    /// Why a drift found in a window ending at <paramref name="newest"/> is no news to production, or null. The
    /// production version was trained from scratch (not warm-started: its profile and featurization are its own) by a
    /// run whose data went through the newest row monitored: every row of the window was in the data it was made from,
    /// so the shift is one it has seen, and a retrain now would learn the same rows. The verdict is then <c>ok</c> and
    /// the drift is judged again as soon as newer rows arrive: a drift a retrain answered clears, one that persists in
    /// new data comes back.
    /// </summary>
    public static string? Answered(MonitoredModel model, DateTime? newest)
    {
        var version = model.Version;
        if (newest is not { } seen
            || version.Properties.ContainsKey(ModelProperties.ReferenceVersion)
            || !DateTime.TryParse(version.Properties.GetValueOrDefault(ModelProperties.DataThrough), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var through)
            || seen > through)
        {
            return null;
        }

        return $"{model.Label} was trained from scratch on data through {Time(through)}, which includes every row monitored; the drift is judged again when newer rows arrive";
    }

    private static string Word(DriftReference reference) => reference switch
    {
        DriftReference.PreviousWindow => "previous_window",
        DriftReference.SamePeriod => "same_period",
        _ => "training",
    };

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
