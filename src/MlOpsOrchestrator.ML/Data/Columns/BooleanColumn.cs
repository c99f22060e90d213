using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// <c>boolean</c> columns as Boolean. Boolean has no missing value, so missing values are filled here:
/// <c>missing: mean</c> takes the more frequent value, anything else <c>false</c>.
/// </summary>
internal sealed class BooleanColumn(ColumnPlan plan) : ColumnData(plan)
{
    private const sbyte Missing = -1;
    private readonly ColumnBuffer<sbyte> _values = new();
    private sbyte _staged;

    public override int Count => _values.Count;

    public override DataViewType ViewType => BooleanDataViewType.Instance;

    public override void Reserve(int rows) => _values.Reserve(rows);

    public override void Commit() => _values.Add(_staged);

    public override bool IsMissing(int row) => _values[row] == Missing;

    /// <summary>1 for true, 0 for false, negative when missing.</summary>
    public int Code(int row) => _values[row];

    public override void Impute()
    {
        int trues = 0, falses = 0;
        foreach (var value in _values.AsSpan())
        {
            trues += value == 1 ? 1 : 0;
            falses += value == 0 ? 1 : 0;
        }

        sbyte fill = Plan.Missing == MissingPolicy.Mean && trues > falses ? (sbyte)1 : (sbyte)0;
        for (var i = 0; i < _values.Count; i++)
        {
            if (_values[i] == Missing)
            {
                _values[i] = fill;
            }
        }
    }

    public override Delegate MakeGetter(IRowPosition position) =>
        (ValueGetter<bool>)((ref bool value) => value = _values[position.Row] == 1);

    public override void AppendCanonical(int row, StringBuilder text)
    {
        if (_values[row] != Missing)
        {
            text.Append(_values[row] == 1 ? "true" : "false");
        }
    }

    public override void WriteCanonical(int row, CanonicalText text)
    {
        if (_values[row] != Missing)
        {
            text.Append(_values[row] == 1 ? "true" : "false");
        }
    }

    protected override void StageMissing() => _staged = Missing;

    protected override string? StageValue(ReadOnlySpan<char> raw)
    {
        if (ValueText.TryBoolean(raw, out var value))
        {
            _staged = value ? (sbyte)1 : (sbyte)0;
            return null;
        }

        _staged = Missing;
        return $"{Quote(raw)} is not a boolean (true/false, yes/no or 1/0)";
    }
}
