using System.Data.Common;
using System.Globalization;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Registry;

/// <summary>
/// The model registry on either engine. Every change to one model name first locks that name's row in <c>models</c>
/// (PostgreSQL: <c>FOR UPDATE</c>; SQLite: the immediate write transaction), so version numbers are assigned one
/// after the other and alias history is never interleaved, even between processes.
/// </summary>
internal sealed class SqlModelRegistry(ISqlEngine engine) : IModelRegistry
{
    private readonly string _models = engine.Table("models");
    private readonly string _versions = engine.Table("model_versions");
    private readonly string _aliases = engine.Table("model_aliases");
    private readonly string _history = engine.Table("model_alias_history");
    private readonly string _evaluations = engine.Table("model_evaluations");
    private readonly string _labels = engine.Table("feedback_labels");
    private readonly string _predictions = engine.Table("prediction_log");

    public async Task<ModelVersion> RegisterAsync(ModelVersion version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(version.Name);
        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await connection.ExecuteAsync(
            $"INSERT INTO {_models} (name, latest_version) VALUES (@name, 0) ON CONFLICT (name) DO NOTHING", transaction, ct,
            ("@name", version.Name));
        var latest = await LockModelAsync(connection, transaction, version.Name, ct) ?? 0;

        await using (var find = connection.Command(
            $"SELECT {ModelRows.VersionColumns} FROM {_versions} WHERE name = @name AND run_id = @run_id AND step_id = @step_id", transaction))
        {
            find.With("@name", version.Name).With("@run_id", version.RunId).With("@step_id", version.StepId);
            if ((await ModelRows.ReadAllAsync(find, r => ModelRows.ReadVersion(r, engine), ct)).SingleOrDefault() is { } existing)
            {
                return existing;
            }
        }

        var registered = version with { Version = latest + 1 };
        await connection.ExecuteAsync(
            $"UPDATE {_models} SET latest_version = @version WHERE name = @name", transaction, ct,
            ("@version", registered.Version), ("@name", registered.Name));
        await using (var insert = connection.Command(
            $"INSERT INTO {_versions} ({ModelRows.VersionColumns}) VALUES ({ModelRows.VersionParameters})", transaction))
        {
            await insert.Bind(registered, engine).ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return registered;
    }

    public async Task<ModelVersion?> GetAsync(string name, int version, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT {ModelRows.VersionColumns} FROM {_versions} WHERE name = @name AND version = @version")
            .With("@name", name).With("@version", version);
        return (await ModelRows.ReadAllAsync(command, r => ModelRows.ReadVersion(r, engine), ct)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string name, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT {ModelRows.VersionColumns} FROM {_versions} WHERE name = @name ORDER BY version")
            .With("@name", name);
        return await ModelRows.ReadAllAsync(command, r => ModelRows.ReadVersion(r, engine), ct);
    }

    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection.Command($"SELECT name FROM {_models} WHERE latest_version > 0");
        var names = await ModelRows.ReadAllAsync(command, r => r.GetString(0), ct);

        // Sorted here, not in SQL: the database's collation would make the two engines disagree.
        return [.. names.Order(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyDictionary<string, int>> GetAliasesAsync(string name, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection.Command($"SELECT alias, version FROM {_aliases} WHERE name = @name").With("@name", name);
        var rows = await ModelRows.ReadAllAsync(command, r => (Alias: r.GetString(0), Version: r.GetInt(1)), ct);
        return rows.ToDictionary(r => r.Alias, r => r.Version, StringComparer.Ordinal);
    }

    public Task<AliasChange> MoveAliasAsync(string name, string alias, int version, string by, string? reason, DateTimeOffset at, CancellationToken ct) =>
        MoveAsync(name, alias, version, null, by, reason, at, ct);

    public Task<AliasChange> RouteAliasAsync(
        string name, string alias, int version, AliasRoute route, string by, string? reason, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(route);
        return MoveAsync(name, alias, version, route, by, reason, at, ct);
    }

    public async Task<IReadOnlyDictionary<string, AliasRoute>> GetRoutesAsync(string name, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT alias, traffic, route_key FROM {_aliases} WHERE name = @name AND traffic IS NOT NULL")
            .With("@name", name);
        var rows = await ModelRows.ReadAllAsync(command, r => (Alias: r.GetString(0), Route: ModelRows.ReadRoute(r, 1)!), ct);
        return rows.ToDictionary(r => r.Alias, r => r.Route, StringComparer.Ordinal);
    }

    /// <summary>One move: a null <paramref name="route"/> keeps the alias's route, which the history records either way.</summary>
    private async Task<AliasChange> MoveAsync(
        string name, string alias, int version, AliasRoute? route, string by, string? reason, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        var latest = await LockModelAsync(connection, transaction, name, ct);
        if (latest is null || version < 1 || version > latest || !await VersionExistsAsync(connection, transaction, name, version, ct))
        {
            throw new KeyNotFoundException($"Model '{name}' has no version {version.ToString(CultureInfo.InvariantCulture)}.");
        }

        int? previous = null;
        AliasRoute? kept = null;
        await using (var current = connection.Command($"SELECT version, traffic, route_key FROM {_aliases} WHERE name = @name AND alias = @alias", transaction))
        {
            current.With("@name", name).With("@alias", alias);
            await using var reader = await current.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                previous = reader.GetInt(0);
                kept = ModelRows.ReadRoute(reader, 1);
            }
        }

        var effective = route ?? kept;
        await connection.ExecuteAsync(
            $"INSERT INTO {_aliases} (name, alias, version, traffic, route_key) VALUES (@name, @alias, @version, @traffic, @route_key) " +
            $"ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version{(route is null ? "" : ", traffic = excluded.traffic, route_key = excluded.route_key")}",
            transaction, ct,
            ("@name", name), ("@alias", alias), ("@version", version), ("@traffic", effective?.Traffic), ("@route_key", effective?.Key));
        await connection.ExecuteAsync(
            $"INSERT INTO {_history} ({ModelRows.HistoryColumns}) VALUES (@name, @alias, @version, @previous, @by, @reason, @at, @traffic, @route_key, @removed)",
            transaction, ct,
            ("@name", name), ("@alias", alias), ("@version", version), ("@previous", previous), ("@by", by), ("@reason", reason),
            ("@at", engine.TimeValue(at)), ("@traffic", effective?.Traffic), ("@route_key", effective?.Key), ("@removed", false));
        await transaction.CommitAsync(ct);
        return new AliasChange(name, alias, version, previous, by, reason, at, effective);
    }

    public async Task<AliasChange> RemoveAliasAsync(string name, string alias, string by, string? reason, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await LockModelAsync(connection, transaction, name, ct);
        int version;
        await using (var current = connection.Command($"SELECT version FROM {_aliases} WHERE name = @name AND alias = @alias", transaction))
        {
            var value = await current.With("@name", name).With("@alias", alias).ExecuteScalarAsync(ct);
            version = value is null or DBNull
                ? throw new KeyNotFoundException($"Model '{name}' has no alias '{alias}'.")
                : Convert.ToInt32(value, CultureInfo.InvariantCulture);
        }

        await connection.ExecuteAsync($"DELETE FROM {_aliases} WHERE name = @name AND alias = @alias", transaction, ct, ("@name", name), ("@alias", alias));
        await connection.ExecuteAsync(
            $"INSERT INTO {_history} ({ModelRows.HistoryColumns}) VALUES (@name, @alias, @version, @previous, @by, @reason, @at, NULL, NULL, @removed)",
            transaction, ct,
            ("@name", name), ("@alias", alias), ("@version", version), ("@previous", version), ("@by", by), ("@reason", reason), ("@at", engine.TimeValue(at)), ("@removed", true));
        await transaction.CommitAsync(ct);
        return new AliasChange(name, alias, version, version, by, reason, at, Removed: true);
    }

    public async Task<IReadOnlyList<AliasChange>> GetAliasHistoryAsync(string name, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT {ModelRows.HistoryColumns} FROM {_history} WHERE name = @name ORDER BY seq")
            .With("@name", name);
        return await ModelRows.ReadAllAsync(command, r => ModelRows.ReadChange(r, engine), ct);
    }

    public async Task<bool> DeleteVersionAsync(string name, int version, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        if (await LockModelAsync(connection, transaction, name, ct) is null || !await VersionExistsAsync(connection, transaction, name, version, ct))
        {
            return false;
        }

        await using (var aliased = connection.Command($"SELECT COUNT(*) FROM {_aliases} WHERE name = @name AND version = @version", transaction))
        {
            if (Convert.ToInt64(await aliased.With("@name", name).With("@version", version).ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }
        }

        await connection.ExecuteAsync($"DELETE FROM {_history} WHERE name = @name AND version = @version", transaction, ct, ("@name", name), ("@version", version));
        // What was recorded about this version goes with it: its evaluations, and the labels of requests only it
        // answered (a request it scored as a shadow beside another version keeps its label, which judges that one too).
        await connection.ExecuteAsync($"DELETE FROM {_evaluations} WHERE model = @name AND version = @version", transaction, ct, ("@name", name), ("@version", version));
        await connection.ExecuteAsync(
            $"DELETE FROM {_labels} AS f WHERE f.model = @name " +
            $"AND EXISTS (SELECT 1 FROM {_predictions} p WHERE p.model = @name AND p.prediction_id = f.prediction_id AND p.version = @version) " +
            $"AND NOT EXISTS (SELECT 1 FROM {_predictions} p WHERE p.model = @name AND p.prediction_id = f.prediction_id AND p.version <> @version)",
            transaction, ct, ("@name", name), ("@version", version));
        await connection.ExecuteAsync($"DELETE FROM {_versions} WHERE name = @name AND version = @version", transaction, ct, ("@name", name), ("@version", version));
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Locks the model's row until the transaction ends; null when the model was never registered.</summary>
    private async Task<int?> LockModelAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken ct)
    {
        await using var command = connection
            .Command($"SELECT latest_version FROM {_models} WHERE name = @name{engine.ForUpdate}", transaction)
            .With("@name", name);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private async Task<bool> VersionExistsAsync(DbConnection connection, DbTransaction transaction, string name, int version, CancellationToken ct)
    {
        await using var command = connection
            .Command($"SELECT COUNT(*) FROM {_versions} WHERE name = @name AND version = @version", transaction)
            .With("@name", name).With("@version", version);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }
}
