using Microsoft.ML.Data;

namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>
/// One row of the generated test data, typed as the prepared-data contract holds it: float/int as Single,
/// boolean as Boolean, categorical/text as String, datetime as DateTime. It carries a label for each task.
/// </summary>
public sealed class SyntheticRow
{
    [ColumnName("amount")]
    public float Amount { get; set; }

    [ColumnName("visits")]
    public float Visits { get; set; }

    [ColumnName("segment")]
    public string Segment { get; set; } = "";

    [ColumnName("member")]
    public bool Member { get; set; }

    [ColumnName("note")]
    public string Note { get; set; } = "";

    [ColumnName("opened")]
    public DateTime Opened { get; set; }

    [ColumnName("ts")]
    public DateTime Ts { get; set; }

    [ColumnName("demand")]
    public float Demand { get; set; }

    [ColumnName("churned")]
    public bool Churned { get; set; }

    [ColumnName("team")]
    public string Team { get; set; } = "";
}
