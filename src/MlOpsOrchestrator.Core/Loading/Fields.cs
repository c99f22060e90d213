using System.Globalization;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Typed access to the keys of one YAML mapping. Every accessor reports its own type errors with the key's path and
/// returns null, so reading goes on and all problems of a file are collected.
/// </summary>
internal sealed class Fields(YMapping mapping, string path, ErrorSink errors, MarkIndex marks)
{
    private readonly Dictionary<string, KeyValuePair<YScalar, YNode>> _entries = Index(mapping);

    public YMapping Mapping => mapping;
    public string Path => path;

    public string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";

    public bool Has(string key) => _entries.ContainsKey(key) && !IsNull(_entries[key].Value);

    public YNode? Node(string key) => _entries.TryGetValue(key, out var entry) && !IsNull(entry.Value) ? entry.Value : null;

    public SourceMark MarkOf(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value.Mark : mapping.Mark;

    public void Error(string key, string message) => errors.Add(MarkOf(key), PathOf(key), message);

    public YScalar? Scalar(string key, bool required = false)
    {
        var node = Required(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is YScalar scalar)
        {
            return scalar;
        }

        Error(key, $"expected a single value, got {node.Describe()}");
        return null;
    }

    public string? String(string key, bool required = false) => Scalar(key, required)?.Value;

    public long? Integer(string key, bool required = false, long min = long.MinValue, long max = long.MaxValue)
    {
        var scalar = Scalar(key, required);
        if (scalar is null)
        {
            return null;
        }

        if (!scalar.Quoted && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Error(key, $"{value} is out of range; use a whole number from {min} to {max}");
            return null;
        }

        Error(key, scalar.Quoted ? $"expected a whole number, got the quoted text \"{scalar.Shown}\"; remove the quotes" : $"expected a whole number, got '{scalar.Shown}'");
        return null;
    }

    public double? Number(string key, bool required = false, double min = double.MinValue, double max = double.MaxValue)
    {
        var scalar = Scalar(key, required);
        if (scalar is null)
        {
            return null;
        }

        if (!ScalarValues.TryNumber(scalar, out var value))
        {
            Error(key, scalar.Quoted ? $"expected a number, got the quoted text \"{scalar.Shown}\"; remove the quotes" : $"expected a number, got '{scalar.Shown}'");
            return null;
        }

        if (value < min && max == double.MaxValue)
        {
            Error(key, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range; use a number of {min.ToString(CultureInfo.InvariantCulture)} or more");
            return null;
        }

        if (value < min || value > max)
        {
            Error(key, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range; use a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return value;
    }

    public bool? Boolean(string key)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return null;
        }

        if (ScalarValues.TryBoolean(scalar, out var value))
        {
            return value;
        }

        Error(key, $"expected true or false, got '{scalar.Shown}'");
        return null;
    }

    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> choices, bool required = false)
        where T : struct
    {
        var scalar = Scalar(key, required);
        if (scalar is null)
        {
            return null;
        }

        if (choices.TryGetValue(scalar.Value, out var value))
        {
            return value;
        }

        Error(key, $"unknown value '{scalar.Shown}'{Suggest.Hint(scalar.Value, choices.Keys.ToList())}");
        return null;
    }

    /// <summary>A word out of <paramref name="words"/>, or null (with the error) when it is another.</summary>
    public string? Word(string key, IReadOnlyList<string> words, bool required = false)
    {
        var scalar = Scalar(key, required);
        if (scalar is null)
        {
            return null;
        }

        if (words.Contains(scalar.Value, StringComparer.Ordinal))
        {
            return scalar.Value;
        }

        Error(key, $"unknown value '{scalar.Shown}'{Suggest.Hint(scalar.Value, words.ToList())}");
        return null;
    }

    public YMapping? MappingOf(string key, bool required = false) => Expect<YMapping>(key, required, "a mapping (key: value lines)");

    public YSequence? Sequence(string key, bool required = false) => Expect<YSequence>(key, required, "a list");

    /// <summary>A list of names; a single name is accepted as a list of one, as authors often write <c>needs: prep</c>.</summary>
    public IReadOnlyList<(string Value, SourceMark Mark, string Path)>? Names(string key, string what = "names")
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return null;
            case YScalar { Value: var text } when text.Contains(',', StringComparison.Ordinal):
                Error(key, $"expected a list of {what}, got '{text}'; write '{key}: [{string.Join(", ", text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}]'");
                return null;
            case YScalar scalar:
                marks.Record(PathOf(key), scalar.Mark);
                marks.Record($"{PathOf(key)}[0]", scalar.Mark);
                return [(scalar.Value, scalar.Mark, $"{PathOf(key)}[0]")];
            case YSequence sequence:
                marks.Record(PathOf(key), sequence.Mark);
                var names = new List<(string, SourceMark, string)>();
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    var itemPath = $"{PathOf(key)}[{i}]";
                    if (sequence.Items[i] is YScalar item && !item.IsNull)
                    {
                        marks.Record(itemPath, item.Mark);
                        names.Add((item.Value, item.Mark, itemPath));
                    }
                    else
                    {
                        errors.Add(sequence.Items[i], itemPath, $"expected a name, got {sequence.Items[i].Describe()}");
                    }
                }

                return names;
            default:
                Error(key, $"expected a list of {what}, got {node.Describe()}");
                return null;
        }
    }

    private T? Expect<T>(string key, bool required, string what)
        where T : YNode
    {
        var node = Required(key, required);
        if (node is null or T)
        {
            return (T?)node;
        }

        Error(key, $"expected {what}, got {node.Describe()}");
        return null;
    }

    private YNode? Required(string key, bool required)
    {
        var node = Node(key);
        if (node is YScalar { MissingEnv: { } variable })
        {
            Error(key, $"environment variable '{variable}' is not set; set it before loading, or replace ${{env:{variable}}} with a value");
            return null;
        }

        if (node is not null)
        {
            marks.Record(PathOf(key), node.Mark);
            if (node is YScalar { FromEnv: { } variable2 })
            {
                marks.RecordEnvironment(PathOf(key), variable2);
            }

            return node;
        }

        if (required)
        {
            var where = path.Length == 0 ? "the file" : $"'{path}'";
            errors.Add(_entries.TryGetValue(key, out var entry) ? entry.Key.Mark : mapping.Mark, PathOf(key), $"missing required key '{key}' in {where}");
        }

        return null;
    }

    private static bool IsNull(YNode node) => node is YScalar { IsNull: true };

    private static Dictionary<string, KeyValuePair<YScalar, YNode>> Index(YMapping mapping)
    {
        var index = new Dictionary<string, KeyValuePair<YScalar, YNode>>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            index.TryAdd(entry.Key.Value, entry);
        }

        return index;
    }
}
