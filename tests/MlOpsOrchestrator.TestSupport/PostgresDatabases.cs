using System.Text.RegularExpressions;
using Npgsql;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>Creating and dropping test databases, shared by the local cluster and an external server.</summary>
internal static partial class PostgresDatabases
{
    private const int MaxNameLength = 40;

    public static async Task<string> CreateAsync(string serverConnectionString, string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxNameLength || !SafeName().IsMatch(name))
        {
            throw new ArgumentException(
                $"Database name '{name}' must be lowercase letters, digits and underscores, at most {MaxNameLength} characters.",
                nameof(name));
        }

        var database = $"{name}_{Guid.NewGuid():N}"[..(name.Length + 13)];
        await ExecuteAsync(serverConnectionString, $"CREATE DATABASE \"{database}\"", ct);
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;
    }

    public static Task DropAsync(string serverConnectionString, string database, CancellationToken ct) =>
        ExecuteAsync(serverConnectionString, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", ct);

    public static string DatabaseOf(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Database
        ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex SafeName();
}
