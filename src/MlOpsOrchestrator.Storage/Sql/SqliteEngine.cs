using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MlOpsOrchestrator.Storage.Sql;

/// <summary>
/// The embedded database: one file under the home folder, shared by a CLI process and a <c>serve</c> process. WAL lets
/// readers run beside the one writer; the busy timeout makes a writer wait for the other process instead of failing.
/// </summary>
internal sealed class SqliteEngine : ISqlEngine
{
    // Fixed width, so text order is time order (the claim compares heartbeats in SQL).
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;

    public SqliteEngine(string databaseFile, TimeSpan busyTimeout)
    {
        DatabaseFile = Path.GetFullPath(databaseFile);
        _busyTimeoutMilliseconds = (int)Math.Min(int.MaxValue, busyTimeout.TotalMilliseconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabaseFile,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();
    }

    public string DatabaseFile { get; }

    public string Name => "sqlite";

    public string Description => $"sqlite:{DatabaseFile}";

    public string TimeType => "TEXT";

    public string ForUpdate => "";

    public string Table(string name) => name;

    public string Script(string sql) => sql;

    public async ValueTask<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await connection.ExecuteAsync(
                string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds};"), null, ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public async ValueTask<DbTransaction?> BeginBatchAsync(DbConnection connection, CancellationToken ct) =>
        await BeginWriteAsync(connection, ct);

    public async Task PrepareAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.Command("PRAGMA journal_mode = WAL;");
        var mode = (string?)await command.ExecuteScalarAsync(ct);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite database {DatabaseFile} could not switch to WAL mode (it is in '{mode}' mode).");
        }
    }

    public Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        Task.CompletedTask; // BEGIN IMMEDIATE already holds the only write lock there is.

    public object TimeValue(DateTimeOffset? value) =>
        value is { } time
            ? Times.ToUtcMicroseconds(time).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)
            : DBNull.Value;

    public DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(
            reader.GetString(ordinal), TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Pooled connections keep the file open; releasing them lets the home folder be moved or deleted.</summary>
    public ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
