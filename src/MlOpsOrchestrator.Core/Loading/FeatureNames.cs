using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>Reads <c>view:feature</c>; a name without the colon keeps an empty view, which the resolver reports.</summary>
internal static class FeatureNames
{
    public static FeatureRef Parse(string text, SourceMark mark, string path)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new FeatureRef("", text, mark, path) : new FeatureRef(text[..colon].Trim(), text[(colon + 1)..].Trim(), mark, path);
    }
}
