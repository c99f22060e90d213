using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// The accuracy of always predicting the most frequent class of the training data, on the evaluation rows: what a
/// classifier must beat to have learnt anything.
/// </summary>
/// <param name="Class">The class name shown (<c>'&lt;=50K'</c>).</param>
/// <param name="Accuracy">Its share of the evaluation rows.</param>
internal sealed record MajorityBaseline(string Class, double Accuracy)
{
    /// <summary>Null when the label column is not a class (regression) or either set has no rows.</summary>
    public static MajorityBaseline? Measure(IDataView train, IDataView evaluation, DatasetSchema schema)
    {
        var counts = Labels(train, schema.Label);
        if (counts is null || counts.Count == 0)
        {
            return null;
        }

        var majority = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key;
        var rows = Labels(evaluation, schema.Label);
        var total = rows?.Values.Sum() ?? 0;
        if (total == 0)
        {
            return null;
        }

        return new MajorityBaseline(Name(majority, schema), (double)rows!.GetValueOrDefault(majority) / total);
    }

    /// <summary>A binary label is held as a Boolean: show the class names the data used.</summary>
    private static string Name(string value, DatasetSchema schema) => value switch
    {
        "True" => schema.Positive ?? "true",
        "False" => schema.Classes is [var negative, _] ? negative : schema.Positive is { } positive ? $"not {positive}" : "false",
        _ => value,
    };

    private static Dictionary<string, int>? Labels(IDataView view, string label)
    {
        if (view.Schema.GetColumnOrNull(label) is not { } column || column.Type is not (BooleanDataViewType or TextDataViewType))
        {
            return null;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var cursor = view.GetRowCursor([column]);
        if (column.Type is BooleanDataViewType)
        {
            var get = cursor.GetGetter<bool>(column);
            while (cursor.MoveNext())
            {
                var value = false;
                get(ref value);
                var key = value ? "True" : "False";
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        else
        {
            var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            while (cursor.MoveNext())
            {
                ReadOnlyMemory<char> value = default;
                get(ref value);
                var key = value.ToString();
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return counts;
    }
}
