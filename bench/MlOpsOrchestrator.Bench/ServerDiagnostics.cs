using System.Globalization;
using Npgsql;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// Makes the throwaway PostgreSQL server log what could explain a latency stall (statements of 300 ms or more, lock
/// waits of 200 ms or more, checkpoints, autovacuum) and counts those events in a time range afterwards.
/// </summary>
internal sealed class ServerDiagnostics(string? logFile)
{
    private static readonly string[] Settings =
    [
        "ALTER SYSTEM SET log_min_duration_statement = 300",
        "ALTER SYSTEM SET log_lock_waits = on",
        "ALTER SYSTEM SET deadlock_timeout = '200ms'",
        "ALTER SYSTEM SET log_checkpoints = on",
        "ALTER SYSTEM SET log_autovacuum_min_duration = 0",
        "SELECT pg_reload_conf()",
    ];

    public static async Task<ServerDiagnostics> EnableAsync(string serverConnectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(ct);
        foreach (var sql in Settings)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        // The throwaway cluster logs to server.log beside its data directory.
        await using var show = new NpgsqlCommand("SHOW data_directory", connection);
        var data = (string?)await show.ExecuteScalarAsync(ct);
        var log = data is null ? null : Path.Combine(Path.GetDirectoryName(data)!, "server.log");
        return new ServerDiagnostics(log is not null && File.Exists(log) ? log : null);
    }

    /// <summary><c>0 statements ≥ 300 ms, 0 lock waits ≥ 200 ms, 0 checkpoints, 3 autovacuums</c> logged in [from, to].</summary>
    public string Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (logFile is null)
        {
            return "server log not found";
        }

        int slow = 0, waits = 0, checkpoints = 0, vacuums = 0;
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length < 23 || !DateTimeOffset.TryParseExact(line[..23], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var at) || at < from || at > to)
            {
                continue;
            }

            slow += line.Contains(" duration: ", StringComparison.Ordinal) ? 1 : 0;
            waits += line.Contains("still waiting for", StringComparison.Ordinal) ? 1 : 0;
            checkpoints += line.Contains("checkpoint starting", StringComparison.Ordinal) ? 1 : 0;
            vacuums += line.Contains("automatic vacuum", StringComparison.Ordinal) ? 1 : 0;
        }

        return $"{slow} statements ≥ 300 ms, {waits} lock waits ≥ 200 ms, {checkpoints} checkpoints, {vacuums} autovacuums";
    }
}
