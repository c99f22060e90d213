using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Serving;

/// <summary>
/// Turns prediction input (one JSON object, or an array of them, keyed by column name) into an <see cref="IDataView"/>
/// with the model's raw feature columns, typed as in training. Every problem of every row is collected before failing.
/// Missing or null values: empty text for categorical and text columns, NaN for numeric columns whose missing policy
/// imputes (<c>mean</c>, <c>zero</c>); required otherwise, since the model never saw a missing value there.
/// </summary>
internal sealed class ScoringInput
{
    private const int MaxProblems = 20;
    private readonly IReadOnlyList<DatasetColumn> _features;
    private readonly HashSet<string> _known;
    private readonly DataViewSchema _schema;
    private readonly string _fieldList;

    public ScoringInput(DatasetSchema schema, DataViewSchema? modelInput)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _features = [.. schema.Features.Where(c => ColumnRepresentation.Of(c.Type) is not null
            && (modelInput is null || modelInput.Count == 0 || modelInput.GetColumnOrNull(c.Name) is not null))];
        _known = schema.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var builder = new DataViewSchema.Builder();
        foreach (var column in _features)
        {
            builder.AddColumn(column.Name, ColumnRepresentation.Of(column.Type)!);
        }

        _schema = builder.ToSchema();
        Fields = [.. _features.Select(c => c.Name)];
        _fieldList = string.Join(", ", Fields);
    }

    /// <summary>The fields the model reads, in schema order.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <exception cref="ScoringInputException">The input is not usable; the message lists every problem.</exception>
    public IDataView Read(JsonElement input, out int rows)
    {
        var items = input.ValueKind switch
        {
            JsonValueKind.Object => [input],
            JsonValueKind.Array => input.EnumerateArray().ToList(),
            _ => throw new ScoringInputException(
                $"the input must be a JSON object keyed by column name, or an array of such objects, not {Describe(input.ValueKind)}"),
        };

        rows = items.Count;
        var columns = _features.Select(c => NewColumn(c.Type, items.Count)).ToArray();
        var problems = new List<string>();
        for (var row = 0; row < items.Count; row++)
        {
            var where = input.ValueKind == JsonValueKind.Array ? $"[{row}]" : "";
            ReadRow(items[row], where, row, columns, problems);
        }

        if (problems.Count > 0)
        {
            var shown = problems.Take(MaxProblems).ToList();
            if (problems.Count > MaxProblems)
            {
                shown.Add($"and {problems.Count - MaxProblems} more problems");
            }

            throw new ScoringInputException(shown);
        }

        return new ArrayDataView(_schema, columns, items.Count);
    }

    private void ReadRow(JsonElement item, string where, int row, Array[] columns, List<string> problems)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: expected an object keyed by column name, got {Describe(item.ValueKind)}");
            return;
        }

        foreach (var property in item.EnumerateObject())
        {
            if (!_known.Contains(property.Name))
            {
                problems.Add($"{Field(where, property.Name)}: unknown field; the model reads: {_fieldList}");
            }
        }

        for (var i = 0; i < _features.Count; i++)
        {
            var column = _features[i];
            var value = item.TryGetProperty(column.Name, out var found) ? found : default;
            if (Convert(column, value, columns[i], row) is { } problem)
            {
                problems.Add($"{Field(where, column.Name)}: {problem}");
            }
        }
    }

    /// <summary>Stores the value in the column array; returns what is wrong with it, or null.</summary>
    private static string? Convert(DatasetColumn column, JsonElement value, Array target, int row)
    {
        var missing = value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
        switch (column.Type)
        {
            case ColumnType.Float or ColumnType.Int:
                var numbers = (float[])target;
                if (missing)
                {
                    numbers[row] = float.NaN;
                    return column.Missing is MissingPolicy.Mean or MissingPolicy.Zero
                        ? null
                        : $"is required: the pipeline's missing policy for it is '{column.Missing.ToString().ToLowerInvariant()}', so the model never saw it missing";
                }

                if (value.ValueKind != JsonValueKind.Number)
                {
                    return $"expected a number, got {Describe(value.ValueKind)}";
                }

                var number = (float)value.GetDouble();
                numbers[row] = number;
                return float.IsFinite(number) ? null : "is out of range for a 32-bit float";

            case ColumnType.Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    ((bool[])target)[row] = value.GetBoolean();
                    return null;
                }

                return missing ? "is required (true or false)" : $"expected true or false, got {Describe(value.ValueKind)}";

            case ColumnType.Categorical or ColumnType.Text:
                var texts = (ReadOnlyMemory<char>[])target;
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        texts[row] = (value.GetString() ?? "").AsMemory();
                        return null;
                    case JsonValueKind.Number:
                        // Categories read from CSV are text; "season": 2 means the category "2".
                        texts[row] = value.GetRawText().AsMemory();
                        return null;
                    case JsonValueKind.Undefined or JsonValueKind.Null:
                        texts[row] = ReadOnlyMemory<char>.Empty;
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
                    ((DateTime[])target)[row] = time;
                    return null;
                }

                return value.ValueKind == JsonValueKind.String
                    ? "is not an ISO 8601 date and time such as \"2024-05-01T08:00:00Z\""
                    : $"expected an ISO 8601 date and time such as \"2024-05-01T08:00:00Z\", got {Describe(value.ValueKind)}";

            default:
                return $"has type {column.Type}, which a model cannot read";
        }
    }

    private static Array NewColumn(ColumnType type, int rows) => type switch
    {
        ColumnType.Float or ColumnType.Int => new float[rows],
        ColumnType.Boolean => new bool[rows],
        ColumnType.Datetime => new DateTime[rows],
        _ => new ReadOnlyMemory<char>[rows],
    };

    private static string Field(string where, string name) => where.Length == 0 ? name : $"{where}.{name}";

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
