using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Storage.Artifacts;
using MlOpsOrchestrator.Storage.Keys;
using MlOpsOrchestrator.Storage.Migrations;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage;

/// <summary>
/// Opens the stores of a storage mode and brings the database schema up to date before anything uses it. Embedded:
/// SQLite at <c>&lt;home&gt;/mlops.db</c>, artifacts as files under <c>&lt;home&gt;/artifacts</c>. PostgreSQL: the
/// project's tables in their own schema, artifacts in the database with a local cache under
/// <c>&lt;home&gt;/cache/artifacts</c>, so every process of a cluster may have a home of its own.
/// </summary>
public static class MlOpsStorage
{
    public const string DatabaseFileName = "mlops.db";

    public const string ArtifactsFolderName = "artifacts";

    /// <summary>The local cache of database artifacts, under the home folder (PostgreSQL mode).</summary>
    public static readonly string ArtifactCacheFolder = Path.Combine("cache", "artifacts");

    public static Task<StorageSet> OpenSqliteAsync(string home, CancellationToken ct) =>
        OpenSqliteAsync(home, new StorageOptions(), ct);

    public static async Task<StorageSet> OpenSqliteAsync(string home, StorageOptions options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(home);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        home = Path.GetFullPath(home);
        Directory.CreateDirectory(home);
        return await OpenAsync(new SqliteEngine(Path.Combine(home, DatabaseFileName), options.SqliteBusyTimeout), OpenArtifacts(home), options, ct);
    }

    public static Task<StorageSet> OpenPostgresAsync(string connectionString, string home, CancellationToken ct) =>
        OpenPostgresAsync(connectionString, home, new StorageOptions(), ct);

    /// <param name="connectionString">An Npgsql connection string (<c>MLOPS_POSTGRES</c>).</param>
    /// <param name="home">The home folder of this process; only the artifact cache lives there in this mode.</param>
    /// <param name="options">Options; <see cref="StorageOptions.PostgresSchema"/> names the schema.</param>
    /// <param name="ct">Cancels opening and migrating.</param>
    public static async Task<StorageSet> OpenPostgresAsync(string connectionString, string home, StorageOptions options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(home);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        home = Path.GetFullPath(home);
        var engine = new PostgresEngine(connectionString, options.PostgresSchema);
        var cache = new ArtifactCache(Path.Combine(home, ArtifactCacheFolder), options.ArtifactCacheBytes, options.TimeProvider);
        return await OpenAsync(
            engine,
            new PostgresArtifactStore(engine.DataSource, engine.Schema, cache, options.TimeProvider),
            options,
            ct,
            new DataProtectionKeyTable(engine.DataSource, engine.Schema, options.TimeProvider));
    }

    /// <summary>The artifact store of a home folder on its own, for tools and tests that need no database.</summary>
    public static IArtifactStore OpenArtifacts(string home)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(home);
        return new FileArtifactStore(Path.Combine(Path.GetFullPath(home), ArtifactsFolderName));
    }

    /// <summary>
    /// Copies the files of <c>&lt;home&gt;/artifacts</c> into the database of a PostgreSQL-mode <paramref name="storage"/>
    /// (<c>mlops migrate-artifacts</c>); idempotent, the files are kept. Refused in the embedded mode.
    /// </summary>
    public static Task<ArtifactImportReport> ImportArtifactFolderAsync(StorageSet storage, string home, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrWhiteSpace(home);
        return ArtifactFolderImport.RunAsync(storage.Artifacts, home, ct);
    }

    private static async Task<StorageSet> OpenAsync(
        ISqlEngine engine, IArtifactStore artifacts, StorageOptions options, CancellationToken ct, DataProtectionKeyTable? keys = null)
    {
        try
        {
            var logger = options.LoggerFactory.CreateLogger(typeof(MlOpsStorage).FullName!);
            await new MigrationRunner(engine, options.TimeProvider, logger).ApplyAsync(ct);
            return new StorageSet(engine, artifacts, keys);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }
}
