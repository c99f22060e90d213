using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// A view's events, materialized once per (view definition, source data): typed, keyed by entity id and sorted by
/// (entity, time) in one file of the artifact store. Every pipeline and run that joins the view reads this file, not
/// the source.
/// </summary>
internal sealed class EventLog(FeatureViewSpec view, string key, string path, EntityIds entities, long events)
{
    public FeatureViewSpec View => view;

    /// <summary>The materialization key: a hash of the view's definition and of its source data.</summary>
    public string Key => key;

    public EntityIds Entities => entities;

    public long Events => events;

    /// <summary>True when an earlier materialization was used; false when this one read the source.</summary>
    public bool Reused { get; init; }

    /// <summary>Source rows read to build or to recognise the log (0 for a file source that was reused).</summary>
    public long RowsRead { get; init; }

    /// <summary>Source rows that are not events (missing entity or unreadable time).</summary>
    public long Skipped { get; init; }

    /// <summary>A fresh pass over the events in (entity, time) order.</summary>
    public SortedRecords Open() => new(ViewAggregator.SlotsOf(view).Count, new SpillSorter.FileRunReader(path, ViewAggregator.SlotsOf(view).Count));
}
