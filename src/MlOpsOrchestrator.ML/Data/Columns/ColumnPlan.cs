using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>One column as data_prep treats it: its final type (declared or inferred), role and policies.</summary>
internal sealed record ColumnPlan
{
    public required string Name { get; init; }
    public required ColumnType Type { get; init; }
    public required ColumnRole Role { get; init; }
    public MissingPolicy Missing { get; init; } = MissingPolicy.Fail;
    public double? Min { get; init; }
    public double? Max { get; init; }

    /// <summary>True when the type came from <c>data.schema</c> rather than from the values.</summary>
    public bool Declared { get; init; }

    /// <summary>
    /// Whether a missing value is a problem. Under <c>missing: fail</c> only in columns a model uses (features, the
    /// label, the timestamp), and never in text, where an empty value is an empty text. A label is never imputed:
    /// a missing label fails unless the policy is <c>drop</c>.
    /// </summary>
    public bool FailsOnMissing => Role == ColumnRole.Label
        ? Missing != MissingPolicy.Drop
        : Missing == MissingPolicy.Fail && Role != ColumnRole.Ignored && Type != ColumnType.Text;

    /// <summary>Whether the column counts for <c>max_missing_fraction</c> and the all-missing check.</summary>
    public bool IsChecked => Role != ColumnRole.Ignored && Type != ColumnType.Text;

    public bool IsNumeric => Type is ColumnType.Float or ColumnType.Int;

    public DatasetColumn ToDatasetColumn() => new(Name, Type, Role, Missing);
}
