using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Loads feature view files as the pipeline loader loads pipelines: YAML with positions, every error at once with
/// file:line:col, a content hash that keys the view's materialized results.
/// </summary>
public sealed class FeatureViewLoader(PipelineLoaderOptions options, ICronEvaluator cron)
{
    private readonly SourceVocabulary _sources = new((options ?? throw new ArgumentNullException(nameof(options))).Sources);

    /// <summary>Loads one file; <paramref name="displayName"/> is how errors name it (default: the path as given).</summary>
    public FeatureViewLoadResult LoadFile(string path, string? displayName = null)
    {
        var errors = new ErrorSink(displayName ?? path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FeatureViewLoadResult(errors.File, null, [new PipelineError(errors.File, 1, 1, "", $"cannot read the file: {ex.Message}")]);
        }

        var root = YamlTreeReader.Read(text, options.Environment, errors);
        if (root is null)
        {
            if (errors.Count == 0)
            {
                errors.Add(new SourceMark(1, 1), "", "the file is empty; a feature view needs 'version', 'kind', 'name', 'entity', 'source' and 'features'");
            }

            return new FeatureViewLoadResult(errors.File, null, errors.Errors);
        }

        var context = new ReadContext(errors, new MarkIndex());
        var view = new FeatureViewReader(context, path, options.DataRoot, _sources, cron).Read(root, ContentHash.Compute(root));
        var sorted = errors.Errors.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
        return new FeatureViewLoadResult(errors.File, sorted.Count == 0 ? view : null, sorted);
    }

    /// <summary>
    /// Loads every <c>*.yaml</c>/<c>*.yml</c> of <paramref name="folder"/> (none when it does not exist); view names must
    /// be unique among them.
    /// </summary>
    public FeatureViewSet LoadFolder(string? folder)
    {
        if (folder is null || !Directory.Exists(folder))
        {
            return new FeatureViewSet(folder, []);
        }

        var results = PipelineFiles.Expand([folder]).Select(f => LoadFile(f, Shown(f))).ToList();
        var owners = new Dictionary<string, FeatureViewLoadResult>(StringComparer.Ordinal);
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].View is not { } view)
            {
                continue;
            }

            if (owners.TryGetValue(view.Name, out var first))
            {
                results[i] = results[i] with
                {
                    View = null,
                    Errors = [new PipelineError(results[i].File, 1, 1, "name", $"feature view name '{view.Name}' is already used by {first.File}; names must be unique in a features folder")],
                };
            }
            else
            {
                owners[view.Name] = results[i];
            }
        }

        return new FeatureViewSet(folder, results);
    }

    /// <summary>How messages name a view file: relative to the working directory when below it, else in full.</summary>
    private static string Shown(string file)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFullPath(file) : relative;
    }
}
