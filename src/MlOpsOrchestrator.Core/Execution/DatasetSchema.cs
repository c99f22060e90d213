using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// The typed columns of a prepared dataset, saved beside it and with every model version, so training, evaluation,
/// serving and monitoring agree on names, types and roles.
/// </summary>
public sealed record DatasetSchema
{
    public required IReadOnlyList<DatasetColumn> Columns { get; init; }
    public required string Label { get; init; }
    public string? Timestamp { get; init; }

    /// <summary>For binary labels given as strings: the positive class. For multiclass: the classes in key order.</summary>
    public string? Positive { get; init; }
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The feature view features joined into the data (<c>data.features</c>); null when none.</summary>
    public IReadOnlyList<DatasetFeature>? ViewFeatures { get; init; }

    public IEnumerable<DatasetColumn> Features => Columns.Where(c => c.Role == ColumnRole.Feature);
}
