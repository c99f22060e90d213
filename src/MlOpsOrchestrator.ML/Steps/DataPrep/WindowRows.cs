namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>The rows a data_prep step writes as the <see cref="IncrementalWindow.Artifact"/> dataset, and the window they fill.</summary>
internal sealed record WindowRows(int[] Rows, TimeSpan Window, DateTime Start);
