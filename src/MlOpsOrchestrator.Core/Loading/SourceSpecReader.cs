using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Reads a <c>source:</c> mapping (of a pipeline's <c>data</c>, or of a feature view) with the keys the host's source
/// readers describe; a <c>path</c> is resolved against the YAML file and checked against the data root.
/// </summary>
internal sealed class SourceSpecReader(ReadContext context, string yamlFile, string dataRoot, SourceVocabulary sources, bool checkData = true)
{
    public SourceSpec? Read(Fields data, string key, bool required)
    {
        if (required && !data.Has(key))
        {
            data.Scalar(key, required: true);
            return null;
        }

        var source = context.Open(data.Node(key), data.PathOf(key), sources.Keys, $"'{data.PathOf(key)}'");
        if (source is null)
        {
            return null;
        }

        // The keys each type takes are those its source reader describes (SourceKeys).
        var type = source.Word("type", sources.Types, required: true);
        foreach (var needed in type is null ? [] : sources.Required(type))
        {
            source.Scalar(needed, required: true);
        }

        foreach (var misplaced in type is null ? [] : sources.NotTaken(type).Where(source.Has))
        {
            source.Error(misplaced, $"'{misplaced}' does not apply to a {type} source; remove it or change 'type'");
        }

        string? path = null;
        if (type is not null && sources.Takes(type, "path") && source.String("path") is { } relative)
        {
            path = PathResolver.Resolve(yamlFile, relative, dataRoot, out var problem);
            if (problem is not null)
            {
                source.Error("path", problem);
            }
            else if (checkData && !File.Exists(path))
            {
                source.Error("path", $"file '{relative}' not found (looked at '{path}'); paths are relative to the pipeline file");
            }
        }

        return new SourceSpec
        {
            Type = type ?? SourceType.Csv,
            Path = path,
            Separator = ReadSeparator(source),
            Header = source.Boolean("header") ?? true,
            Encoding = source.Choice("encoding", Vocabulary.Encodings) ?? SourceEncoding.Utf8,
            Connection = source.String("connection"),
            Query = source.String("query"),
            Mark = source.Mapping.Mark,
        };
    }

    private static char ReadSeparator(Fields source)
    {
        var value = source.String("separator");
        switch (value)
        {
            case null or ",":
                return ',';
            case ";" or "\t":
                return value[0];
            case "\\t" or "tab":
                return '\t';
            default:
                source.Error("separator", $"unsupported separator '{value}'; use \",\", \";\" or \"\\t\"");
                return ',';
        }
    }
}
