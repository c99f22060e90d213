using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Serving;

/// <summary>
/// Reads prediction input (one JSON object, or an array of them, keyed by column name) into a <see cref="ScoringRow"/>
/// with the model's raw feature columns, typed as in training, one item at a time. Every problem of every item is
/// collected before failing. Missing or null values: empty text for categorical and text columns, NaN for numeric
/// columns whose missing policy imputes (<c>mean</c>, <c>zero</c>); required otherwise, since the model never saw a
/// missing value there. Immutable and shared by all of a scorer's sessions; a valid item allocates nothing here
/// beyond the text values themselves.
/// </summary>
internal sealed class ScoringInput
{
    private const int MaxProblems = 20;
    private readonly DatasetColumn[] _features;
    private readonly byte[][] _knownNames;
    private readonly int[] _featureOfKnown;
    private readonly string _fieldList;

    public ScoringInput(DatasetSchema schema, DataViewSchema? modelInput)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _features = [.. schema.Features.Where(c => ColumnRepresentation.Of(c.Type) is not null
            && (modelInput is null || modelInput.Count == 0 || modelInput.GetColumnOrNull(c.Name) is not null))];
        var known = schema.Columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();
        _knownNames = [.. known.Select(Encoding.UTF8.GetBytes)];
        _featureOfKnown = [.. known.Select(name => Array.FindIndex(_features, f => f.Name == name))];
        var builder = new DataViewSchema.Builder();
        foreach (var column in _features)
        {
            builder.AddColumn(column.Name, ColumnRepresentation.Of(column.Type)!);
        }

        Schema = builder.ToSchema();
        Fields = [.. _features.Select(c => c.Name)];
        _fieldList = Echo.List(Fields);
    }

    /// <summary>The fields the model reads, in schema order.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The raw feature columns a <see cref="ScoringRow"/> for this input holds, in <see cref="Fields"/> order.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The number of items to score: 1 for an object, the length of an array.</summary>
    /// <exception cref="ScoringInputException">The input is neither an object nor an array.</exception>
    public static int Count(JsonElement input) => input.ValueKind switch
    {
        JsonValueKind.Object => 1,
        JsonValueKind.Array => input.GetArrayLength(),
        _ => throw new ScoringInputException(
            $"the input must be a JSON object keyed by column name, or an array of such objects, not {Describe(input.ValueKind)}"),
    };

    /// <summary>A buffer for <see cref="Read"/>, one per session.</summary>
    public JsonElement[] NewValueBuffer() => new JsonElement[_features.Length];

    /// <summary>
    /// Writes one item into <paramref name="row"/> and adds what is wrong with it to <paramref name="problems"/>
    /// (created on the first problem). <paramref name="index"/> is the item's position in an array, or -1 for a lone object.
    /// </summary>
    public void Read(JsonElement item, int index, ScoringRow row, JsonElement[] values, ref List<string>? problems)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            (problems ??= []).Add($"{Where(index)}: expected an object keyed by column name, got {Describe(item.ValueKind)}");
            return;
        }

        Array.Clear(values);
        var next = 0;
        foreach (var property in item.EnumerateObject())
        {
            // Fields usually arrive in schema order: look where the last one matched first.
            var known = Find(property, next);
            if (known < 0)
            {
                (problems ??= []).Add($"{Field(index, property.Name)}: unknown field; the model reads: {_fieldList}");
                continue;
            }

            next = known + 1;
            if (_featureOfKnown[known] is var feature and >= 0)
            {
                values[feature] = property.Value; // A repeated field: the last one counts.
            }
        }

        for (var i = 0; i < _features.Length; i++)
        {
            if (Convert(_features[i], values[i], row, i) is { } problem)
            {
                (problems ??= []).Add($"{Field(index, _features[i].Name)}: {problem}");
            }
        }
    }

    /// <summary>The error for the collected problems, the first 20 of them listed.</summary>
    public static ScoringInputException Failure(List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var shown = problems.Take(MaxProblems).ToList();
        if (problems.Count > MaxProblems)
        {
            shown.Add($"and {problems.Count - MaxProblems} more problems");
        }

        return new ScoringInputException(shown);
    }

    private int Find(JsonProperty property, int start)
    {
        for (var n = 0; n < _knownNames.Length; n++)
        {
            var i = (start + n) % _knownNames.Length;
            if (property.NameEquals(_knownNames[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Stores the value in the row's column; returns what is wrong with it, or null.</summary>
    private static string? Convert(DatasetColumn column, JsonElement value, ScoringRow row, int target)
    {
        var missing = value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
        switch (column.Type)
        {
            case ColumnType.Float or ColumnType.Int:
                if (missing)
                {
                    row.SetNumber(target, float.NaN);
                    return column.Missing is MissingPolicy.Mean or MissingPolicy.Zero
                        ? null
                        : $"is required: the pipeline's missing policy for it is '{column.Missing.ToString().ToLowerInvariant()}', so the model never saw it missing";
                }

                if (value.ValueKind != JsonValueKind.Number)
                {
                    return $"expected a number, got {Describe(value.ValueKind)}";
                }

                var number = value.TryGetDouble(out var parsed) ? (float)parsed : float.NaN;
                row.SetNumber(target, number);
                return float.IsFinite(number) ? null : "is out of range for a 32-bit float";

            case ColumnType.Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    row.SetFlag(target, value.GetBoolean());
                    return null;
                }

                return missing ? "is required (true or false)" : $"expected true or false, got {Describe(value.ValueKind)}";

            case ColumnType.Categorical or ColumnType.Text:
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        row.SetText(target, (value.GetString() ?? "").AsMemory());
                        return null;
                    case JsonValueKind.Number:
                        // Categories read from CSV are text; "season": 2 means the category "2".
                        row.SetText(target, value.GetRawText().AsMemory());
                        return null;
                    case JsonValueKind.Undefined or JsonValueKind.Null:
                        row.SetText(target, ReadOnlyMemory<char>.Empty);
                        return null;
                    default:
                        return $"expected a string, got {Describe(value.ValueKind)}";
                }

            case ColumnType.Datetime:
                if (missing)
                {
                    return "is required (an ISO 8601 date and time)";
                }

                if (value.ValueKind == JsonValueKind.String && DateTime.TryParse(
                    value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                {
                    row.SetTime(target, time);
                    return null;
                }

                return value.ValueKind == JsonValueKind.String
                    ? "is not an ISO 8601 date and time such as \"2024-05-01T08:00:00Z\""
                    : $"expected an ISO 8601 date and time such as \"2024-05-01T08:00:00Z\", got {Describe(value.ValueKind)}";

            default:
                return $"has type {column.Type}, which a model cannot read";
        }
    }

    private static string Where(int index) => index < 0 ? "" : $"[{index}]";

    private static string Field(int index, string name) => index < 0 ? Echo.Value(name) : $"[{index}].{Echo.Value(name)}";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
