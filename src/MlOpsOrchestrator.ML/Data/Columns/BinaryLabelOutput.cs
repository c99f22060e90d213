using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>A binary label written as Boolean: the class names read are mapped to positive or negative.</summary>
internal sealed class BinaryLabelOutput(CategoryColumn label, string? positive) : IOutputColumn
{
    private readonly bool[] _positiveByCode = label.Dictionary.Values.Select(c => IsPositive(c, positive)).ToArray();

    /// <summary>Without a <c>positive:</c> class, a boolean's <c>true</c> and a number's <c>1</c> are positive.</summary>
    public static bool IsPositive(string className, string? positive) =>
        positive is null ? className is "1" or "true" : className == positive;

    public string Name => label.Name;

    public DataViewType ViewType => BooleanDataViewType.Instance;

    public bool this[int row] => _positiveByCode[label.Code(row)];

    public Delegate MakeGetter(IRowPosition position) =>
        (ValueGetter<bool>)((ref bool value) => value = this[position.Row]);

    public void AppendCanonical(int row, StringBuilder text) => text.Append(this[row] ? "true" : "false");

    public void WriteCanonical(int row, CanonicalText text) => text.Append(this[row] ? "true" : "false");
}
