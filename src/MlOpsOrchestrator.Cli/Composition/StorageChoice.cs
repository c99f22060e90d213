using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>
/// Where the stores live, as the builder chose it: SQLite under <see cref="Home"/>, PostgreSQL (artifacts under
/// <see cref="Home"/>), or stores the caller opened itself and keeps owning (<see cref="Opened"/>).
/// </summary>
internal sealed record StorageChoice(string? Home, string? Postgres, StorageSet? Opened);
