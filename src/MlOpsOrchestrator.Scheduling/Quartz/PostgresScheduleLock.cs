using Npgsql;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// A PostgreSQL session advisory lock named after the scheduler, held on a connection of its own (outside the pool, so
/// that closing it ends the session and releases the lock even if the unlock cannot be sent) while a node reconciles.
/// </summary>
internal sealed class PostgresScheduleLock(SchedulerSettings settings) : IScheduleLock
{
    private const string LockSql = "SELECT pg_advisory_lock(hashtextextended('mlops.quartz.sync:' || @name, 0))";

    private const string UnlockSql = "SELECT pg_advisory_unlock(hashtextextended('mlops.quartz.sync:' || @name, 0))";

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(settings.PostgresConnectionString) { Pooling = false }.ConnectionString;

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, LockSql, settings.InstanceName, ct);
            return new Held(connection, settings.InstanceName);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, string name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", name);
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed class Held(NpgsqlConnection connection, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await ExecuteAsync(connection, UnlockSql, name, CancellationToken.None);
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
