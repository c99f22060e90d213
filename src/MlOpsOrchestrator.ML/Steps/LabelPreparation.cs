using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// The label as trainers and evaluators want it. Regression (Single) and binary (Boolean) labels are used as they are;
/// a multiclass label becomes a key in the schema's class order, so score slot <c>i</c> is class <c>i</c>. This runs
/// before the model, not inside it, so serving never needs a label column.
/// </summary>
internal static class LabelPreparation
{
    public const string KeyColumn = "__label_key";

    /// <summary>The data with the label the trainer reads, and that column's name.</summary>
    public static (IDataView Data, string Column) Apply(MLContext ml, DatasetSchema schema, MlTask task, IDataView data)
    {
        if (task != MlTask.Multiclass)
        {
            return (data, schema.Label);
        }

        var classes = schema.Classes is { Count: > 0 } known
            ? known
            : throw new StepInputException($"the multiclass label '{schema.Label}' has no classes in the dataset schema");
        var keyData = ml.Data.LoadFromEnumerable(classes.Select(c => new ClassRow { Value = c }));
        var toKey = ml.Transforms.Conversion.MapValueToKey(
            KeyColumn, schema.Label, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence, keyData: keyData);
        return (toKey.Fit(data).Transform(data), KeyColumn);
    }

    /// <summary>The distinct non-empty values of a text label in order of first appearance.</summary>
    public static IReadOnlyList<string> ClassesInOrder(IDataView data, string label)
    {
        var column = data.Schema[label];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var classes = new List<string>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        var value = default(ReadOnlyMemory<char>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            var text = value.ToString();
            if (text.Length > 0 && seen.Add(text))
            {
                classes.Add(text);
            }
        }

        return classes;
    }

    private sealed class ClassRow
    {
        public string Value { get; set; } = "";
    }
}
