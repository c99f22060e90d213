namespace MlOpsOrchestrator.Specs;

/// <summary>The source types the product reads: a CSV file or a PostgreSQL query (the <c>type:</c> of <c>data.source</c>).</summary>
public static class SourceType
{
    public const string Csv = "csv";
    public const string Postgres = "postgres";
}
