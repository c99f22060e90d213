using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Loading;

/// <summary>Tells feature view files from pipeline files among the YAML files of a folder: a view says <c>kind: feature_view</c>.</summary>
public static partial class FeatureViewFiles
{
    [GeneratedRegex(@"^kind:\s*[""']?feature_view[""']?\s*(#.*)?$", RegexOptions.Multiline)]
    private static partial Regex Kind();

    public static bool IsView(string path)
    {
        try
        {
            return File.Exists(path) && Kind().IsMatch(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
