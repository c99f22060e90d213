using System.Globalization;
using Npgsql;

namespace MlOpsOrchestrator.Bench;

/// <summary>Small reads of a benchmark's PostgreSQL database.</summary>
internal static class BenchDatabase
{
    /// <summary>The single value of <paramref name="sql"/> as a number; 0 while the table does not exist yet.</summary>
    public static async Task<long> ScalarAsync(string database, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return 0;
        }
    }

    /// <summary>Polls <paramref name="sql"/> until it reaches <paramref name="target"/>; false when <paramref name="timeout"/> passed first.</summary>
    public static async Task<bool> WaitUntilAsync(string database, string sql, long target, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await ScalarAsync(database, sql, ct) >= target)
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>
    /// Transactions the database has committed or rolled back so far. Backends report their counts when they exit (or
    /// when idle, after a delay), so the pools of this process are closed first and the server given a moment.
    /// </summary>
    public static async Task<long> TransactionsAsync(string database, CancellationToken ct)
    {
        NpgsqlConnection.ClearAllPools();
        await Task.Delay(300, ct);
        return await ScalarAsync(database, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", ct);
    }

    /// <summary>Every row of <paramref name="sql"/>, read by <paramref name="read"/>.</summary>
    public static async Task<List<T>> QueryAsync<T>(string database, string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
