using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>The feature views of one folder, as loaded: those without errors by name, and every file's result.</summary>
public sealed class FeatureViewSet(string? folder, IReadOnlyList<FeatureViewLoadResult> results)
{
    private readonly Dictionary<string, FeatureViewSpec> _views = results.Where(r => r.View is not null)
        .ToDictionary(r => r.View!.Name, r => r.View!, StringComparer.Ordinal);

    /// <summary>The folder the views were read from; null when there is none.</summary>
    public string? Folder => folder;

    public IReadOnlyList<FeatureViewLoadResult> Results => results;

    public IReadOnlyList<FeatureViewSpec> Views => [.. _views.Values.OrderBy(v => v.Name, StringComparer.Ordinal)];

    public FeatureViewSpec? Find(string name) => _views.GetValueOrDefault(name);

    /// <summary>The result of the file that declares <paramref name="name"/> but failed to load, if any.</summary>
    public FeatureViewLoadResult? Broken(string name) =>
        results.FirstOrDefault(r => r.View is null && Path.GetFileNameWithoutExtension(r.File) == name);
}
