using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.TestSupport;

namespace MlOpsOrchestrator.Storage.Tests.Support;

/// <summary>
/// One empty database of one engine plus a home folder, which tests may open as many times as they like (each
/// <see cref="StorageSet"/> has its own connections, as a second process would). SQLite: a temporary home folder.
/// PostgreSQL: a fresh database in the assembly's test server; the test is skipped (or fails on CI) without one.
/// </summary>
internal sealed class StoreTarget : IAsyncDisposable
{
    private readonly List<StorageSet> _opened = [];

    private StoreTarget(StoreEngine engine, string home, string? connectionString)
    {
        Engine = engine;
        Home = home;
        ConnectionString = connectionString;
    }

    public StoreEngine Engine { get; }

    public string Home { get; }

    /// <summary>The PostgreSQL database; null for SQLite.</summary>
    public string? ConnectionString { get; }

    public static async Task<StoreTarget> CreateAsync(StoreEngine engine)
    {
        var home = Directory.CreateTempSubdirectory("mlops-storage-").FullName;
        if (engine == StoreEngine.Sqlite)
        {
            return new StoreTarget(engine, home, null);
        }

        try
        {
            var server = await PostgresTestEnvironment.RequireAsync();
            return new StoreTarget(engine, home, await server.CreateDatabaseAsync("storage"));
        }
        catch
        {
            Directory.Delete(home, recursive: true);
            throw;
        }
    }

    /// <summary>Opens (and migrates) the stores; they are disposed with the target.</summary>
    public async Task<StorageSet> OpenAsync(StorageOptions? options = null)
    {
        options ??= new StorageOptions();
        var stores = Engine == StoreEngine.Sqlite
            ? await MlOpsStorage.OpenSqliteAsync(Home, options, CancellationToken.None)
            : await MlOpsStorage.OpenPostgresAsync(ConnectionString!, Home, options, CancellationToken.None);
        lock (_opened)
        {
            _opened.Add(stores);
        }

        return stores;
    }

    /// <summary>The engine underneath, for looking at the schema itself; the caller disposes it.</summary>
    public ISqlEngine CreateEngine(string schema = "mlops") => Engine == StoreEngine.Sqlite
        ? new SqliteEngine(Path.Combine(Home, MlOpsStorage.DatabaseFileName), TimeSpan.FromSeconds(30))
        : new PostgresEngine(ConnectionString!, schema);

    public async ValueTask DisposeAsync()
    {
        foreach (var stores in _opened)
        {
            await stores.DisposeAsync();
        }

        Directory.Delete(Home, recursive: true);
    }
}
