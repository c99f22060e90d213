using Microsoft.ML.Data;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// How each declared column type is held in the prepared <c>.idv</c> files and in serving input, as
/// <see cref="Execution.ArtifactNames"/> fixes it. Training, evaluation and serving share this one table.
/// </summary>
internal static class ColumnRepresentation
{
    /// <summary>The ML.NET type of a column, or null for <see cref="ColumnType.Ignore"/>.</summary>
    public static DataViewType? Of(ColumnType type) => type switch
    {
        ColumnType.Float or ColumnType.Int => NumberDataViewType.Single,
        ColumnType.Boolean => BooleanDataViewType.Instance,
        ColumnType.Categorical or ColumnType.Text => TextDataViewType.Instance,
        ColumnType.Datetime => DateTimeDataViewType.Instance,
        _ => null,
    };

    /// <summary>True when <paramref name="actual"/> holds what the contract expects for <paramref name="type"/>.</summary>
    public static bool Matches(ColumnType type, DataViewType actual) => Of(type) is { } expected && expected.Equals(actual);
}
