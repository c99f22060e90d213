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
/// </summary>
internal sealed class QuartzSchemaProvisioner(SchedulerSettings settings, ILogger<QuartzSchemaProvisioner> logger) : IHostedLifecycleService
{
    private const string ScriptResource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    private const string StatementSeparator = "--;;";

    /// <summary>An arbitrary constant shared by every node: "mlopsqtz" in ASCII.</summary>
    private const long AdvisoryLockKey = 0x6d6c_6f70_7371_747a;

    public Task StartingAsync(CancellationToken cancellationToken) =>
        settings.PostgresConnectionString is { } connectionString
            ? ProvisionAsync(connectionString, settings.TablePrefix, settings.Schema, logger, cancellationToken)
            : Task.CompletedTask;

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

    /// <summary>
    /// The embedded script split at its separator lines (a line reading exactly <c>--;;</c>; the header mentions the
    /// separator in prose), with <c>{0}</c> (the qualified prefix) and <c>{1}</c> (the bare prefix) filled in, and the
    /// pieces holding only comments left out.
    /// </summary>
    internal static IReadOnlyList<string> Statements(string qualifiedPrefix, string barePrefix)
    {
        using var stream = typeof(IJob).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"Quartz.dll no longer embeds {ScriptResource}; the Quartz schema cannot be provisioned.");
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
