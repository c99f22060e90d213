using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// What a materialization to the online store did: a full rebuild (and why) or an append from the watermark, the source
/// rows it read, the events it appended, the rows that were not events, and the view's state after it.
/// </summary>
public sealed record OnlineMaterialization(string View, bool Full, string Reason, long RowsRead, long EventsAppended, long Skipped, OnlineViewState State);
