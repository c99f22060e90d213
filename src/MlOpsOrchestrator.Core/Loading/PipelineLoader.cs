using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// YAML → spec records with positions → validation of every rule, all errors at once → an immutable, content-hashed
/// <see cref="PipelineDefinition"/>. The one way pipeline files enter the product (CLI, scheduler, API).
/// </summary>
public sealed class PipelineLoader(PipelineLoaderOptions options, ITrainerCatalog trainers, ICronEvaluator cron)
{
    private readonly SourceVocabulary _sources = new((options ?? throw new ArgumentNullException(nameof(options))).Sources);

    /// <summary>Loads one file; <paramref name="displayName"/> is how errors name it (default: the path as given).</summary>
    public LoadResult LoadFile(string path, string? displayName = null) => ReadFile(path, displayName).Result;

    /// <summary>
    /// As <see cref="LoadFile"/>, with the text that was read (null when the file could not be read): the file is read
    /// once, so a run stores exactly the YAML its definition was loaded from.
    /// </summary>
    public (LoadResult Result, string? Text) ReadFile(string path, string? displayName = null)
    {
        var name = displayName ?? path;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (new LoadResult(name, null, [new PipelineError(name, 1, 1, "", $"cannot read the file: {ex.Message}")]), null);
        }

        return (Parse(text, path, name), text);
    }

    /// <summary>Loads YAML text as if it were the file at <paramref name="path"/> (relative data paths resolve from there).</summary>
    public LoadResult Parse(string text, string path, string? displayName = null) => Parse(text, path, displayName, checkData: true);

    /// <summary>
    /// Loads the YAML a run was launched with. The data may have changed since (that is the data_prep step's to judge,
    /// with row and column), so data files and their columns are not checked here.
    /// </summary>
    public LoadResult ParseStored(string text, string path) => Parse(text, path, path, checkData: false);

    private LoadResult Parse(string text, string path, string? displayName, bool checkData)
    {
        var errors = new ErrorSink(displayName ?? path);
        var context = new ReadContext(errors, new MarkIndex());
        var root = YamlTreeReader.Read(text, options.Environment, errors);
        if (root is null)
        {
            if (errors.Count == 0)
            {
                errors.Add(new SourceMark(1, 1), "", "the file is empty; a pipeline needs at least 'version', 'name', 'data' and 'steps'");
            }

            return new LoadResult(errors.File, null, errors.Errors);
        }

        var spec = new PipelineSpecReader(context, path, options.DataRoot, _sources, checkData).Read(root);
        if (spec is null)
        {
            return new LoadResult(errors.File, null, errors.Errors);
        }

        spec = spec with { Data = spec.Data with { KnownColumns = checkData ? KnownColumns(spec.Data, path, context) : [] } };
        spec = spec with { Data = spec.Data.Features.Count == 0 ? spec.Data : new FeatureResolver(context, Views(path), checkData).Resolve(spec.Data) };
        spec = spec with { EnvironmentPaths = context.Marks.FromEnvironment.ToDictionary(StringComparer.Ordinal) };
        new PipelineValidator(context, trainers, cron, path).Validate(spec, options.Time.GetUtcNow());
        if (errors.Count > 0)
        {
            return new LoadResult(errors.File, null, Sorted(errors.Errors));
        }

        var definition = new PipelineDefinition
        {
            Spec = spec,
            SourceFile = Path.GetFullPath(path),
            Version = ContentHash.Compute(root),
            Maturity = MaturityClassifier.Classify(spec),
        };
        return new LoadResult(errors.File, definition, []) { Redactor = errors.Redactor };
    }

    /// <summary>
    /// Loads files and folders (every <c>*.yaml</c>/<c>*.yml</c> below a folder, in name order) and checks that pipeline
    /// names are unique across them.
    /// </summary>
    public IReadOnlyList<LoadResult> LoadAll(IEnumerable<string> paths)
    {
        var results = PipelineFiles.Expand(paths).Select(f => LoadFile(f)).ToList();
        var owners = new Dictionary<string, LoadResult>(StringComparer.Ordinal);
        for (var i = 0; i < results.Count; i++)
        {
            var definition = results[i].Definition;
            if (definition is null)
            {
                continue;
            }

            if (owners.TryGetValue(definition.Name, out var first))
            {
                var mark = NameMark(results[i].File);
                results[i] = results[i] with
                {
                    Definition = null,
                    Errors = [new PipelineError(results[i].File, mark.Line, mark.Column, "name", $"pipeline name '{definition.Name}' is already used by {first.File}; names must be unique among loaded pipelines")],
                };
            }
            else
            {
                owners[definition.Name] = results[i];
            }
        }

        return results;
    }

    /// <summary>The source file's columns; a header that is not text in the declared encoding is an error at <c>path</c>.</summary>
    private static IReadOnlyList<string> KnownColumns(DataSpec data, string pipelineFile, ReadContext context)
    {
        if (data.Source is not { Type: SourceType.Csv, Path: { } path } source || !File.Exists(path))
        {
            return [];
        }

        var (columns, problem) = CsvHeader.Read(path, source.Separator, source.Header, data.Schema.Select(c => c.Name).ToList(), source.Encoding);
        if (problem is not null)
        {
            var shown = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(pipelineFile)) ?? ".", path);
            context.Errors.Add(
                context.Marks.Of("data.source.path"),
                "data.source.path",
                $"{shown} is not valid UTF-8: {problem}; re-save the file as UTF-8, or declare its encoding on the source (encoding: latin1 or windows-1252)");
        }

        return columns ?? [];
    }

    /// <summary>The feature views next to <paramref name="pipelineFile"/> (or in the configured folder), read afresh: a view may change between loads.</summary>
    private FeatureViewSet Views(string pipelineFile) =>
        new FeatureViewLoader(options, cron).LoadFolder(FeatureFolders.Locate(pipelineFile, options.FeaturesFolder));

    private static List<PipelineError> Sorted(IReadOnlyList<PipelineError> errors) =>
        errors.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();

    private static SourceMark NameMark(string file)
    {
        var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("name:", StringComparison.Ordinal))
            {
                return new SourceMark(i + 1, lines[i].IndexOf(':', StringComparison.Ordinal) + 3);
            }
        }

        return new SourceMark(1, 1);
    }
}
