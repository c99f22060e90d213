using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>The registry contract in memory: idempotent registration per (name, run, step), audited alias moves.</summary>
internal sealed class InMemoryModelRegistry : IModelRegistry
{
    private readonly Lock _lock = new();
    private readonly List<ModelVersion> _versions = [];
    private readonly Dictionary<(string Name, string Alias), int> _aliases = [];
    private readonly Dictionary<(string Name, string Alias), AliasRoute> _routes = [];
    private readonly List<AliasChange> _history = [];

    public int RegisterCalls { get; private set; }

    public Task<ModelVersion> RegisterAsync(ModelVersion version, CancellationToken ct)
    {
        lock (_lock)
        {
            RegisterCalls++;
            var existing = _versions.FirstOrDefault(v => v.Name == version.Name && v.RunId == version.RunId && v.StepId == version.StepId);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            var registered = version with { Version = _versions.Count(v => v.Name == version.Name) + 1 };
            _versions.Add(registered);
            return Task.FromResult(registered);
        }
    }

    public Task<ModelVersion?> GetAsync(string name, int version, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult(_versions.FirstOrDefault(v => v.Name == name && v.Version == version));
        }
    }

    public Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string name, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ModelVersion>>([.. _versions.Where(v => v.Name == name)]);
        }
    }

    public Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _versions.Select(v => v.Name).Distinct()]);
        }
    }

    public Task<IReadOnlyDictionary<string, int>> GetAliasesAsync(string name, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, int>>(
                _aliases.Where(a => a.Key.Name == name).ToDictionary(a => a.Key.Alias, a => a.Value));
        }
    }

    public Task<AliasChange> MoveAliasAsync(string name, string alias, int version, string by, string? reason, DateTimeOffset at, CancellationToken ct) =>
        Move(name, alias, version, null, by, reason, at);

    public Task<AliasChange> RouteAliasAsync(string name, string alias, int version, AliasRoute route, string by, string? reason, DateTimeOffset at, CancellationToken ct) =>
        Move(name, alias, version, route, by, reason, at);

    public Task<IReadOnlyDictionary<string, AliasRoute>> GetRoutesAsync(string name, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, AliasRoute>>(
                _routes.Where(a => a.Key.Name == name).ToDictionary(a => a.Key.Alias, a => a.Value));
        }
    }

    private Task<AliasChange> Move(string name, string alias, int version, AliasRoute? route, string by, string? reason, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (!_versions.Any(v => v.Name == name && v.Version == version))
            {
                throw new KeyNotFoundException($"{name} v{version} is not registered.");
            }

            int? previous = _aliases.TryGetValue((name, alias), out var current) ? current : null;
            _aliases[(name, alias)] = version;
            if (route is not null)
            {
                _routes[(name, alias)] = route;
            }

            var change = new AliasChange(name, alias, version, previous, by, reason, at, _routes.GetValueOrDefault((name, alias)));
            _history.Add(change);
            return Task.FromResult(change);
        }
    }

    public Task<AliasChange> RemoveAliasAsync(string name, string alias, string by, string? reason, DateTimeOffset at, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_aliases.Remove((name, alias), out var version))
            {
                throw new KeyNotFoundException($"{name} has no alias {alias}.");
            }

            var change = new AliasChange(name, alias, version, version, by, reason, at, Removed: true);
            _history.Add(change);
            return Task.FromResult(change);
        }
    }

    public Task<IReadOnlyList<AliasChange>> GetAliasHistoryAsync(string name, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<AliasChange>>([.. _history.Where(h => h.Name == name)]);
        }
    }

    public Task<bool> DeleteVersionAsync(string name, int version, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_aliases.Any(a => a.Key.Name == name && a.Value == version))
            {
                return Task.FromResult(false);
            }

            _history.RemoveAll(h => h.Name == name && h.Version == version);
            return Task.FromResult(_versions.RemoveAll(v => v.Name == name && v.Version == version) > 0);
        }
    }
}
