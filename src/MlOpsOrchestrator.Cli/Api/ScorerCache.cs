using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The scorers the predict endpoint serves with, one per (model, alias), swapped when the alias moves. Each request
/// reads the alias (one indexed query) and compares versions. A move loads the new version once; while it loads, and
/// if it cannot be loaded at all, requests keep being answered by the version already served, so a swap neither
/// fails nor blocks a request. A version that failed to load is retried after a minute, not on every request.
/// </summary>
internal sealed class ScorerCache(IModelRegistry registry, IArtifactStore artifacts, TimeProvider time, ILogger<ScorerCache> logger) : IDisposable
{
    private static readonly TimeSpan RetryFailedLoadAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Model, string Alias), ServedModel> _served = new();
    private readonly ConcurrentDictionary<(string Model, int Version), DateTimeOffset> _failed = new();
    private readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>The scorer of the version <paramref name="alias"/> points at now (or the one served before, while that loads); null when the model has no such alias.</summary>
    /// <exception cref="InvalidDataException">Nothing is served yet and the version's files are missing or unreadable.</exception>
    public async Task<ServedModel?> GetAsync(string model, string alias, CancellationToken ct)
    {
        var aliases = await registry.GetAliasesAsync(model, ct);
        if (!aliases.TryGetValue(alias, out var version))
        {
            return null;
        }

        _served.TryGetValue((model, alias), out var current);
        if (current?.Version == version)
        {
            return current;
        }

        if (current is not null && _failed.TryGetValue((model, version), out var failedAt) && time.GetUtcNow() - failedAt < RetryFailedLoadAfter)
        {
            return current;
        }

        // With a version already served, never wait for a load another request started: answer with what is loaded.
        if (current is not null ? !await _loading.WaitAsync(0, ct) : !await TryWaitAsync(ct))
        {
            return current;
        }

        try
        {
            _served.TryGetValue((model, alias), out current);
            if (current?.Version == version)
            {
                return current;
            }

            var loaded = await LoadAsync(model, alias, version, current, ct);
            if (loaded is null)
            {
                return current ?? throw new InvalidDataException($"version {version} of model '{model}' cannot be loaded; see the log");
            }

            _served[(model, alias)] = loaded;
            return loaded;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    private async Task<bool> TryWaitAsync(CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        return true;
    }

    private async Task<ServedModel?> LoadAsync(string model, string alias, int version, ServedModel? current, CancellationToken ct)
    {
        try
        {
            var registered = await registry.GetAsync(model, version, ct)
                ?? throw new InvalidDataException($"'{alias}' of model '{model}' points at version {version}, which is not registered");
            var loaded = new ServedModel(model, alias, version, ModelScorer.Load(artifacts, registered));
            _failed.TryRemove((model, version), out _);
            logger.LogInformation("Serving {Model} version {Version} as {Alias} (was {Previous})", model, version, alias, current?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
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
