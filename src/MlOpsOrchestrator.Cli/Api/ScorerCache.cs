using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The scorers the predict endpoint serves with, one per (model, alias). A request for a (model, alias) already served
/// is answered from memory, without reading the store; <see cref="ScorerRefresher"/> calls <see cref="RefreshAsync"/>
/// every <see cref="RefreshInterval"/> to re-read the aliases, so a moved alias is served within about that interval
/// plus the time the new version takes to load. The load happens there, off the request path: requests keep being
/// answered by the version already served until the new one is ready, and if it cannot be loaded at all it never
/// replaces the served one, so a swap neither fails nor blocks a request. A version that failed to load is retried
/// after a minute, not on every refresh. Only the first request for a (model, alias) reads the store and waits for
/// the load.
/// </summary>
internal sealed class ScorerCache(IModelRegistry registry, IArtifactStore artifacts, TimeProvider time, ILogger<ScorerCache> logger) : IDisposable
{
    /// <summary>How often the served aliases are re-read: how stale a served version may be after its alias moves.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan RetryFailedLoadAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Model, string Alias), ServedModel> _served = new();
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, AliasRoute>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, int Version), DateTimeOffset> _failed = new();
    private readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>The scorer of the version <paramref name="alias"/> pointed at when last read; null when the model has no such alias.</summary>
    /// <exception cref="InvalidDataException">Nothing is served yet and the version's files are missing or unreadable.</exception>
    public ValueTask<ServedModel?> GetAsync(string model, string alias, CancellationToken ct) =>
        _served.TryGetValue((model, alias), out var current) ? ValueTask.FromResult<ServedModel?>(current) : new(FirstAsync(model, alias, ct));

    /// <summary>
    /// How a request that names no alias is answered: production, the canary with its share when the model has one,
    /// and the shadow that scores next to them. Read from memory after the model's first routed request; the
    /// canary and shadow are kept current by <see cref="RefreshAsync"/> like production, and one that is removed or
    /// cannot be loaded drops out, leaving production alone.
    /// </summary>
    /// <exception cref="InvalidDataException">Nothing is served yet and production's files are missing or unreadable.</exception>
    public ValueTask<ServedRoutes> GetRoutesAsync(string model, CancellationToken ct) =>
        _routes.TryGetValue(model, out var routes) ? ValueTask.FromResult(Routes(model, routes)) : new(FirstRoutesAsync(model, ct));

    /// <summary>
    /// Re-reads the alias of every (model, alias) served and loads the versions that moved, swapping each in once loaded.
    /// A store that cannot be read leaves everything as served; an alias that is gone stops being served.
    /// </summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        foreach (var model in _served.Keys.Select(k => k.Model).Concat(_routes.Keys).Distinct(StringComparer.Ordinal).ToList())
        {
            IReadOnlyDictionary<string, int> aliases;
            IReadOnlyDictionary<string, AliasRoute>? routes = null;
            try
            {
                aliases = await registry.GetAliasesAsync(model, ct);
                if (_routes.ContainsKey(model))
                {
                    routes = await registry.GetRoutesAsync(model, ct);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Cannot read the aliases of {Model}; still serving the versions loaded", model);
                continue;
            }

            if (routes is not null)
            {
                // An alias that appeared since the last read (a first production, a canary, a shadow) starts being
                // served here, off the request path.
                foreach (var alias in RoutedAliases.Where(a => aliases.ContainsKey(a) && !_served.ContainsKey((model, a))))
                {
                    if (!RecentlyFailed(model, aliases[alias]))
                    {
                        await SwapAsync(model, alias, aliases[alias], ct);
                    }
                }

                _routes[model] = routes;
            }

            foreach (var (key, current) in _served.Where(s => s.Key.Model == model).ToList())
            {
                if (!aliases.TryGetValue(key.Alias, out var version))
                {
                    _served.TryRemove(new KeyValuePair<(string, string), ServedModel>(key, current));
                    logger.LogInformation("{Model} has no {Alias} alias any more; stopped serving version {Version}", model, key.Alias, current.Version);
                }
                else if (version != current.Version && !RecentlyFailed(model, version))
                {
                    await SwapAsync(model, key.Alias, version, ct);
                }
            }
        }
    }

    public void Dispose() => _loading.Dispose();

    /// <summary>The aliases a request that names none may reach.</summary>
    private static readonly string[] RoutedAliases = [PredictionRecord.DefaultAlias, DeployStep.CanaryAlias, DeployStep.ShadowAlias];

    private ServedRoutes Routes(string model, IReadOnlyDictionary<string, AliasRoute> routes)
    {
        _served.TryGetValue((model, PredictionRecord.DefaultAlias), out var production);
        var canary = _served.TryGetValue((model, DeployStep.CanaryAlias), out var served) && routes.TryGetValue(DeployStep.CanaryAlias, out var route)
            ? new ServedCanary(served, route)
            : null;
        _served.TryGetValue((model, DeployStep.ShadowAlias), out var shadow);
        return new ServedRoutes(production, canary, shadow);
    }

    /// <summary>
    /// The first routed request for a model: reads its aliases and routes and loads production, canary and shadow,
    /// waiting for them. A canary or shadow that cannot be loaded is left out (production answers alone); production
    /// that cannot be loaded fails the request as <see cref="GetAsync"/> does. A name with none of these aliases (an
    /// unknown model, or one not deployed yet) is not remembered: a caller cannot make the refresh read made-up names.
    /// </summary>
    private async Task<ServedRoutes> FirstRoutesAsync(string model, CancellationToken ct)
    {
        var aliases = await registry.GetAliasesAsync(model, ct);
        if (!RoutedAliases.Any(aliases.ContainsKey))
        {
            return new ServedRoutes(null, null, null);
        }

        var routes = await registry.GetRoutesAsync(model, ct);
        if (aliases.TryGetValue(PredictionRecord.DefaultAlias, out var production) && await SwapAsync(model, PredictionRecord.DefaultAlias, production, ct) is null)
        {
            throw new InvalidDataException($"version {production} of model '{model}' cannot be loaded; see the log");
        }

        foreach (var alias in RoutedAliases.Skip(1).Where(aliases.ContainsKey))
        {
            await SwapAsync(model, alias, aliases[alias], ct);
        }

        _routes[model] = routes;
        return Routes(model, routes);
    }

    /// <summary>The first request for a (model, alias): reads the alias and loads its version, waiting for it.</summary>
    private async Task<ServedModel?> FirstAsync(string model, string alias, CancellationToken ct)
    {
        var aliases = await registry.GetAliasesAsync(model, ct);
        if (!aliases.TryGetValue(alias, out var version))
        {
            return null;
        }

        return await SwapAsync(model, alias, version, ct)
            ?? throw new InvalidDataException($"version {version} of model '{model}' cannot be loaded; see the log");
    }

    /// <summary>Loads <paramref name="version"/> and serves it under the alias; returns what is served afterwards.</summary>
    private async Task<ServedModel?> SwapAsync(string model, string alias, int version, CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        try
        {
            _served.TryGetValue((model, alias), out var current);
            if (current?.Version == version)
            {
                return current;
            }

            var loaded = await LoadAsync(model, alias, version, current, ct);
            if (loaded is null)
            {
                return current;
            }

            _served[(model, alias)] = loaded;
            return loaded;
        }
        finally
        {
            _loading.Release();
        }
    }

    private bool RecentlyFailed(string model, int version) =>
        _failed.TryGetValue((model, version), out var failedAt) && time.GetUtcNow() - failedAt < RetryFailedLoadAfter;

    private async Task<ServedModel?> LoadAsync(string model, string alias, int version, ServedModel? current, CancellationToken ct)
    {
        try
        {
            var registered = await registry.GetAsync(model, version, ct)
                ?? throw new InvalidDataException($"'{alias}' of model '{model}' points at version {version}, which is not registered");
            var loaded = new ServedModel(model, alias, version, ModelScorer.Load(artifacts, registered));
            _failed.TryRemove((model, version), out _);
            logger.LogInformation("Serving {Model} version {Version} as {Alias} (was {Previous})", model, version, alias, current?.Version.ToString(CultureInfo.InvariantCulture) ?? "none");
            return loaded;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or InvalidOperationException or FormatException)
        {
            _failed[(model, version)] = time.GetUtcNow();
            logger.LogError(ex, "Cannot load {Model} version {Version} for {Alias}; {Action}", model, version, alias,
                current is null ? "nothing to serve" : $"still serving version {current.Version}");
            return null;
        }
    }
}

/// <summary>A loaded model version and the alias it is served under.</summary>
internal sealed record ServedModel(string Model, string Alias, int Version, ModelScorer Scorer);

/// <summary>A loaded canary and the share of requests it answers.</summary>
internal sealed record ServedCanary(ServedModel Model, AliasRoute Route);

/// <summary>What answers a request that names no alias: production (null before it exists), a canary for its share, a shadow next to them.</summary>
internal sealed record ServedRoutes(ServedModel? Production, ServedCanary? Canary, ServedModel? Shadow);
