using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Storage.Sql;

namespace MlOpsOrchestrator.Storage.Migrations;

/// <summary>
/// Brings a database to the newest schema this build knows, at start-up, in one transaction. Safe when several
/// processes start at once (they migrate one after the other; the later ones find nothing to do), and a no-op on a
/// database that is already current.
/// </summary>
internal sealed class MigrationRunner(ISqlEngine engine, TimeProvider time, ILogger logger)
{
    /// <summary>Applies what is missing and returns the versions applied now (empty when the database was current).</summary>
    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken ct)
    {
        var migrations = MigrationCatalog.For(engine.Name);
        var table = engine.Table("schema_migrations");
        await using var connection = await engine.OpenAsync(ct);
        await engine.PrepareAsync(connection, ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await engine.LockForMigrationAsync(connection, transaction, ct);
        await connection.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {table} (version integer PRIMARY KEY, name text NOT NULL, applied_at {engine.TimeType} NOT NULL)",
            transaction, ct);

        var applied = new HashSet<int>();
        await using (var command = connection.Command($"SELECT version FROM {table}", transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                applied.Add(reader.GetInt(0));
            }
        }

        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new InvalidOperationException(
                $"The database {engine.Description} is at schema version {applied.Max()}, newer than this build knows ({newest}); upgrade mlops.");
        }

        var now = new List<int>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            await connection.ExecuteAsync(engine.Script(migration.Sql), transaction, ct);
            await connection.ExecuteAsync(
                $"INSERT INTO {table} (version, name, applied_at) VALUES (@version, @name, @at)", transaction, ct,
                ("@version", migration.Version), ("@name", migration.Name), ("@at", engine.TimeValue(time.GetUtcNow())));
            now.Add(migration.Version);
        }

        await transaction.CommitAsync(ct);
        foreach (var version in now)
        {
            logger.LogInformation("Applied storage migration {Version} to {Storage}", version, engine.Description);
        }

        return now;
    }
}
