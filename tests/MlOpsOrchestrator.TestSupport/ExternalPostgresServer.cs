using System.Collections.Concurrent;
using Npgsql;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// A server someone else runs (<c>MLOPS_TEST_POSTGRES</c>). It outlives the test run, so the databases created
/// in it are dropped again at the end.
/// </summary>
internal sealed class ExternalPostgresServer : IPostgresServer, IAsyncDisposable
{
    private readonly ConcurrentBag<string> _created = [];

    private ExternalPostgresServer(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<ExternalPostgresServer> ConnectAsync(string connectionString, string origin, CancellationToken ct)
    {
        string where;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            where = $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{origin} is not an Npgsql connection string: {e.Message}", e);
        }

        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException($"{origin} server {where} cannot be reached: {e.Message}", e);
        }

        return new ExternalPostgresServer(connectionString);
    }

    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        var connectionString = await PostgresDatabases.CreateAsync(ConnectionString, name, ct);
        _created.Add(PostgresDatabases.DatabaseOf(connectionString));
        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        while (_created.TryTake(out var database))
        {
            await PostgresDatabases.DropAsync(ConnectionString, database, CancellationToken.None);
        }
    }
}
