using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The scorers the predict endpoint serves with, one per (model, alias), reloaded when the alias moves. Each request
/// reads the alias (one indexed query) and compares versions; a move loads the new version while requests in flight
/// finish on the old one, so no request fails during a swap. Loading is serialised: a burst after a promotion loads once.
/// </summary>
internal sealed class ScorerCache(IModelRegistry registry, IArtifactStore artifacts, ILogger<ScorerCache> logger) : IDisposable
{
    private readonly ConcurrentDictionary<(string Model, string Alias), ServedModel> _served = new();
    private readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>The scorer of the version <paramref name="alias"/> points at now; null when the model has no such alias.</summary>
    /// <exception cref="InvalidDataException">The version's files are missing or unreadable.</exception>
    public async Task<ServedModel?> GetAsync(string model, string alias, CancellationToken ct)
    {
        var aliases = await registry.GetAliasesAsync(model, ct);
        if (!aliases.TryGetValue(alias, out var version))
        {
            return null;
        }

        if (_served.TryGetValue((model, alias), out var current) && current.Version == version)
        {
            return current;
        }

        await _loading.WaitAsync(ct);
        try
        {
            if (_served.TryGetValue((model, alias), out current) && current.Version == version)
            {
                return current;
            }

            var registered = await registry.GetAsync(model, version, ct)
                ?? throw new InvalidDataException($"'{alias}' of model '{model}' points at version {version}, which is not registered");
            var loaded = new ServedModel(model, alias, version, ModelScorer.Load(artifacts, registered));
            _served[(model, alias)] = loaded;
            logger.LogInformation("Serving {Model} version {Version} as {Alias} (was {Previous})", model, version, alias, current?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
            return loaded;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();
}

/// <summary>A loaded model version and the alias it is served under.</summary>
internal sealed record ServedModel(string Model, string Alias, int Version, ModelScorer Scorer);
