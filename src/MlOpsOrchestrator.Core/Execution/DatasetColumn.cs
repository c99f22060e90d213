using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Execution;

/// <summary>One column: its declared or inferred type, what it is used for, and its missing-value policy.</summary>
public sealed record DatasetColumn(string Name, ColumnType Type, ColumnRole Role, MissingPolicy Missing);
