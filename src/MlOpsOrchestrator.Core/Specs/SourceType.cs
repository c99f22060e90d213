namespace MlOpsOrchestrator.Specs;

/// <summary>Where rows come from: a CSV file or a PostgreSQL query.</summary>
public enum SourceType
{
    Csv,
    Postgres,
}
