using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// Creates the Quartz tables before the scheduler starts, from the script Quartz itself embeds
/// (<c>create_postgres.sql</c>: every statement <c>IF NOT EXISTS</c>, nothing dropped). The whole script runs in one
/// transaction under a PostgreSQL advisory lock, so two nodes starting at once on an empty database cannot trip over
/// each other's half-created tables (<c>CREATE TABLE IF NOT EXISTS</c> alone races on the catalog). Quartz then only
/// validates the schema. Registered ahead of Quartz's hosted service and runs in the <c>Starting</c> phase.
/// The embedded SQLite store is provisioned the same way from <c>create_sqlite.sql</c>, in one <c>BEGIN IMMEDIATE</c>
/// transaction, and switched to WAL first (a fire writes a few rows; WAL makes each write one append, not a rollback
/// journal and its fsyncs).
/// </summary>
internal sealed class QuartzSchemaProvisioner(SchedulerSettings settings, ILogger<QuartzSchemaProvisioner> logger) : IHostedLifecycleService
{
    private const string ScriptResource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    private const string SqliteScriptResource = "Quartz.Impl.AdoJobStore.Schema.create_sqlite.sql";

    private const string StatementSeparator = "--;;";

    /// <summary>An arbitrary constant shared by every node: "mlopsqtz" in ASCII.</summary>
    private const long AdvisoryLockKey = 0x6d6c_6f70_7371_747a;

    public Task StartingAsync(CancellationToken cancellationToken) =>
        (settings.PostgresConnectionString, settings.SqlitePath) switch
        {
            ({ } connectionString, _) => ProvisionAsync(connectionString, settings.TablePrefix, settings.Schema, logger, cancellationToken),
            (null, { } path) => ProvisionSqliteAsync(path, settings.TablePrefix, logger, cancellationToken),
            _ => Task.CompletedTask,
        };

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Idempotent, and safe when several processes call it at the same moment.</summary>
    public static async Task ProvisionAsync(string connectionString, string tablePrefix, string? schema, ILogger logger, CancellationToken ct)
    {
        var statements = Statements(schema is null ? tablePrefix : $"{schema}.{tablePrefix}", tablePrefix);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
        if (schema is not null)
        {
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {schema}", ct);
        }

        foreach (var statement in statements)
        {
            await ExecuteAsync(connection, transaction, statement, ct);
        }

        await transaction.CommitAsync(ct);
        logger.LogInformation("Quartz schema ready: tables {TablePrefix}* ({Statements} statements applied idempotently)",
            schema is null ? tablePrefix : $"{schema}.{tablePrefix}", statements.Count);
    }

    /// <summary>Idempotent; the caller owns the file (<see cref="SqliteStoreOwnership"/>).</summary>
    public static async Task ProvisionSqliteAsync(string path, string tablePrefix, ILogger logger, CancellationToken ct)
    {
        var statements = ScriptStatements(SqliteScriptResource, tablePrefix, tablePrefix);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connection = new SqliteConnection(SqliteConnectionString(path));
        await connection.OpenAsync(ct);
        await using (var wal = new SqliteCommand("PRAGMA journal_mode = WAL;", connection))
        {
            var mode = (string?)await wal.ExecuteScalarAsync(ct);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The schedule store {path} could not switch to WAL mode (it is in '{mode}' mode).");
            }
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var statement in statements)
        {
            await using var command = new SqliteCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        logger.LogInformation("Quartz schema ready in {Store}: tables {TablePrefix}* ({Statements} statements applied idempotently)",
            path, tablePrefix, statements.Count);
    }

    /// <summary>How Quartz and the provisioner open the embedded store: pooled, and waiting up to 30 s for a busy file.</summary>
    internal static string SqliteConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();

    /// <summary>
    /// The PostgreSQL script split at its separator lines (a line reading exactly <c>--;;</c>; the header mentions the
    /// separator in prose), with <c>{0}</c> (the qualified prefix) and <c>{1}</c> (the bare prefix) filled in, and the
    /// pieces holding only comments left out.
    /// </summary>
    internal static IReadOnlyList<string> Statements(string qualifiedPrefix, string barePrefix) =>
        ScriptStatements(ScriptResource, qualifiedPrefix, barePrefix);

    /// <summary>The statements of the SQLite script, for the embedded store.</summary>
    internal static IReadOnlyList<string> SqliteStatements(string prefix) => ScriptStatements(SqliteScriptResource, prefix, prefix);

    private static List<string> ScriptStatements(string resource, string qualifiedPrefix, string barePrefix)
    {
        using var stream = typeof(IJob).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Quartz.dll no longer embeds {resource}; the Quartz schema cannot be provisioned.");
        using var reader = new StreamReader(stream);
        var statements = new List<string>();
        var current = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim() == StatementSeparator)
            {
                Flush();
            }
            else
            {
                current.Add(line);
            }
        }

        Flush();
        return statements;

        void Flush()
        {
            var code = current.Where(l => l.Trim() is { Length: > 0 } text && !text.StartsWith("--", StringComparison.Ordinal)).ToList();
            if (code.Count > 0)
            {
                statements.Add(string.Join('\n', code)
                    .Replace("{0}", qualifiedPrefix, StringComparison.Ordinal)
                    .Replace("{1}", barePrefix, StringComparison.Ordinal));
            }

            current.Clear();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
