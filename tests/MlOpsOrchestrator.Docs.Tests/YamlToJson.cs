using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MlOpsOrchestrator.Docs.Tests;

/// <summary>
/// Converts a YAML document to the JSON a schema validator sees, the way editors do: YamlDotNet's representation
/// model, plain scalars resolved by the YAML 1.2 core schema (null, true/false, integers, floats), everything quoted
/// (or tagged <c>!!str</c>) stays a string.
/// </summary>
internal static partial class YamlToJson
{
    [GeneratedRegex("^(null|Null|NULL|~|)$")]
    private static partial Regex Null();

    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE)$")]
    private static partial Regex Boolean();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^0o[0-7]+$")]
    private static partial Regex OctalInteger();

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    private static partial Regex HexInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    /// <summary>
    /// The JSON of the one document in <paramref name="yaml"/>, or false when there is no single document a schema can
    /// be applied to: a syntax error, duplicate keys, no document (empty or only comments), or several documents
    /// (editors validate each document of a stream on its own, so no schema can see that there are two).
    /// <paramref name="problem"/> then says which.
    /// </summary>
    public static bool TryConvert(string yaml, out JsonNode? json, [NotNullWhen(false)] out string? problem)
    {
        json = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // YamlDotNet throws InvalidOperationException instead of a YamlException for some unclosed flow collections.
            problem = $"not valid YAML: {ex.Message}";
            return false;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" } && stream.Documents.Count == 1)
        {
            problem = "no YAML document (the file is empty or holds only comments)";
            return false;
        }

        if (stream.Documents.Count > 1)
        {
            problem = $"{stream.Documents.Count} YAML documents; a schema applies to one document at a time";
            return false;
        }

        problem = null;
        json = Convert(stream.Documents[0].RootNode);
        return true;
    }

    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Mapping(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"unexpected YAML node {node.GetType().Name}"),
    };

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var json = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
            json[name] = Convert(value);
        }

        return json;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var tagged = !scalar.Tag.IsEmpty && scalar.Tag.Value is not "!" and not "?";
        if (scalar.Style is not ScalarStyle.Plain || (tagged && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return JsonValue.Create(text);
        }

        if (Null().IsMatch(text))
        {
            return null;
        }

        if (Boolean().IsMatch(text))
        {
            return JsonValue.Create(text.StartsWith('t') || text.StartsWith('T'));
        }

        if (DecimalInteger().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (OctalInteger().IsMatch(text))
        {
            return JsonValue.Create(System.Convert.ToInt64(text[2..], 8));
        }

        if (HexInteger().IsMatch(text))
        {
            return JsonValue.Create(long.Parse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        }

        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        // .inf and .nan have no JSON form; as text they fail every numeric keyword, as the validator fails them.
        return JsonValue.Create(text);
    }
}
