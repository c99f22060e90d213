namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>Where a test keeps run history and the registry: the embedded default or PostgreSQL (<c>--postgres</c>).</summary>
public enum StorageEngine
{
    Sqlite,
    Postgres,
}
