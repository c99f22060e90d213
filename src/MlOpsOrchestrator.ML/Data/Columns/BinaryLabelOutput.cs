using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.ML.Steps.DataPrep;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>A binary label written as Boolean: the class names read are mapped to positive or negative.</summary>
internal sealed class BinaryLabelOutput(CategoryColumn label, string? positive) : IOutputColumn
{
    private readonly bool[] _positiveByCode = label.Dictionary.Values.Select(c => LabelClasses.IsPositive(c, positive)).ToArray();

    public string Name => label.Name;

    public DataViewType ViewType => BooleanDataViewType.Instance;

    public bool this[int row] => _positiveByCode[label.Code(row)];

    public Delegate MakeGetter(IRowPosition position) =>
        (ValueGetter<bool>)((ref bool value) => value = this[position.Row]);

    public void AppendCanonical(int row, StringBuilder text) => text.Append(this[row] ? "true" : "false");

    public void WriteCanonical(int row, CanonicalText text) => text.Append(this[row] ? "true" : "false");
}
