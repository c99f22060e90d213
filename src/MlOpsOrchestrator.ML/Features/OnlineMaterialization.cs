using System.Globalization;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// What a materialization to the online store did: a full rebuild (and why) or an append from the watermark, the source
/// rows it read, the events it appended, the rows that were not events, and the view's state after it.
/// </summary>
public sealed record OnlineMaterialization(string View, bool Full, string Reason, long RowsRead, long EventsAppended, long Skipped, OnlineViewState State)
{
    /// <summary>One line, as <c>mlops features materialize</c> prints it and a scheduled refresh logs it: what was done, rows read, events appended and kept, entities, the watermark.</summary>
    public string Summary()
    {
        var watermark = State.Watermark is { } ticks ? new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture) : "none (no events)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{View}: {Reason}; {RowsRead:N0} source rows read, {EventsAppended:N0} events appended{(Skipped > 0 ? $", {Skipped:N0} rows without entity or time" : "")}; online: {State.Events:N0} events of {State.Entities:N0} entities, watermark {watermark}");
    }
}
