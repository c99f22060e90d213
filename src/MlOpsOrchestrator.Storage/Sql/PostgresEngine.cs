using System.Data;
using System.Data.Common;
using Npgsql;

namespace MlOpsOrchestrator.Storage.Sql;

/// <summary>
/// The shared database of a cluster. Tables live in their own schema (default <c>mlops</c>) beside Hangfire's and
/// Quartz's; atomicity across processes comes from row locks and, for migrations, a transaction-scoped advisory lock.
/// </summary>
internal sealed class PostgresEngine : ISqlEngine
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;

    public PostgresEngine(string connectionString, string schema)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"postgres:{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        _schema = schema;

        // The stores never change session state (no SET, no temporary tables, no session locks), so a pooled
        // connection needs no DISCARD ALL when it is returned: that reset is a transaction of its own on the server,
        // one per statement the stores run.
        builder.NoResetOnClose = true;
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The pool, for the stores that stream (artifacts) or must answer synchronously (data-protection keys).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The schema of the project's tables.</summary>
    public string Schema => _schema;

    public string Name => "postgres";

    public string Description { get; }

    public string TimeType => "timestamptz";

    public string ForUpdate => " FOR UPDATE";

    public string Table(string name) => $"{_schema}.{name}";

    public string Script(string sql) => sql.Replace("{schema}", _schema, StringComparison.Ordinal);

    public async ValueTask<DbConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    public async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

    public ValueTask<DbTransaction?> BeginBatchAsync(DbConnection connection, CancellationToken ct) => ValueTask.FromResult<DbTransaction?>(null);

    public Task PrepareAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    public async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        // Released at commit or rollback; two processes starting at once migrate one after the other.
        await using (var command = connection.Command("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", transaction))
        {
            command.With("@key", $"mlops.migrations.{_schema}");
            await command.ExecuteNonQueryAsync(ct);
        }

        await connection.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {_schema}", transaction, ct);
    }

    public object TimeValue(DateTimeOffset? value) =>
        value is { } time ? Times.ToUtcMicroseconds(time) : DBNull.Value;

    public DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
