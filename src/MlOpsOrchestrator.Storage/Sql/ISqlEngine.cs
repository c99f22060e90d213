using System.Data.Common;

namespace MlOpsOrchestrator.Storage.Sql;

/// <summary>
/// The part of the stores that differs between SQLite and PostgreSQL: connections, the write lock, table names and
/// how times are stored. The stores themselves hold one set of SQL that both engines understand.
/// </summary>
internal interface ISqlEngine : IAsyncDisposable
{
    /// <summary>The folder of this engine's migration scripts (<c>sqlite</c>, <c>postgres</c>).</summary>
    string Name { get; }

    /// <summary>Where the data lives, without secrets (<c>sqlite:/home/mlops.db</c>, <c>postgres:host:5432/db</c>).</summary>
    string Description { get; }

    /// <summary>The column type of a point in time (text in SQLite, <c>timestamptz</c> in PostgreSQL).</summary>
    string TimeType { get; }

    /// <summary>Appended to a <c>SELECT</c> that must lock the rows it reads until the transaction ends (SQLite: nothing, the write transaction already excludes every other writer).</summary>
    string ForUpdate { get; }

    /// <summary>The qualified name of one of the project's tables.</summary>
    string Table(string name);

    /// <summary>Replaces the placeholders of a migration script (<c>{schema}</c>).</summary>
    string Script(string sql);

    ValueTask<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// A transaction that may write. SQLite takes the database's write lock at once (<c>BEGIN IMMEDIATE</c>), so a
    /// read followed by a write never fails half way with a busy snapshot; PostgreSQL uses read committed plus row locks.
    /// </summary>
    ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// What makes one command of several statements all-or-nothing. PostgreSQL: nothing (null), the statements of one
    /// command already run as one implicit transaction, in one round trip; SQLite: a write transaction, as
    /// <see cref="BeginWriteAsync"/>.
    /// </summary>
    ValueTask<DbTransaction?> BeginBatchAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Run once before the migration transaction begins (SQLite switches to WAL here; it cannot inside a transaction).</summary>
    Task PrepareAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Inside the migration transaction: excludes other processes migrating at the same time and creates the schema.</summary>
    Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <summary>The parameter value of a point in time (UTC, microsecond precision in both engines).</summary>
    object TimeValue(DateTimeOffset? value);

    DateTimeOffset ReadTime(DbDataReader reader, int ordinal);
}
