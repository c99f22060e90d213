namespace MlOpsOrchestrator.Cli.Tests.Support;

/// <summary>Sets or removes process environment variables for one test and puts the old values back afterwards.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    private EnvironmentScope()
    {
    }

    /// <summary>Each variable set to its value (null removes it) until the scope is disposed.</summary>
    public static EnvironmentScope Set(params IEnumerable<(string Name, string? Value)> variables)
    {
        var scope = new EnvironmentScope();
        foreach (var (name, value) in variables)
        {
            scope._saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
            Environment.SetEnvironmentVariable(name, value);
        }

        return scope;
    }

    /// <summary>Each variable removed until the scope is disposed.</summary>
    public static EnvironmentScope Without(IEnumerable<string> names) => Set(names.Select(n => (n, (string?)null)));

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
