namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>The storage a <see cref="FuzzHost"/> runs on: the embedded default, or PostgreSQL (where a NUL is an error of the server).</summary>
public enum FuzzStorage
{
    Embedded,
    PostgreSql,
}
