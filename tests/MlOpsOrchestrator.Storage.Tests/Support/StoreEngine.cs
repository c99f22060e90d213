namespace MlOpsOrchestrator.Storage.Tests.Support;

/// <summary>The engines every store test runs against.</summary>
public enum StoreEngine
{
    Sqlite,
    Postgres,
}
