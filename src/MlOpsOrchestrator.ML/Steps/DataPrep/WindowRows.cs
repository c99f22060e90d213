namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>The rows a data_prep step writes as the <see cref="IncrementalWindow.Artifact"/> dataset, and the window they fill.</summary>
/// <param name="Rows">The window's training rows (row indices of the table read).</param>
/// <param name="Window">The largest window of the train steps that retrain on one.</param>
/// <param name="Start">The window's first instant: <paramref name="End"/> − <paramref name="Window"/>.</param>
/// <param name="End">Where the window ends: the first held-out row of a time split, else the slice's newest row.</param>
internal sealed record WindowRows(int[] Rows, TimeSpan Window, DateTime Start, DateTime End);
