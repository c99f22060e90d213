namespace MlOpsOrchestrator.Storage.Migrations;

/// <summary>One numbered schema change of one engine, applied once per database.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
