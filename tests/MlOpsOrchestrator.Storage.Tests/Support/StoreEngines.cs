namespace MlOpsOrchestrator.Storage.Tests.Support;

/// <summary>The source of the parameterised store fixtures: one fixture instance per engine.</summary>
public static class StoreEngines
{
    public static IEnumerable<StoreEngine> All => [StoreEngine.Sqlite, StoreEngine.Postgres];
}
