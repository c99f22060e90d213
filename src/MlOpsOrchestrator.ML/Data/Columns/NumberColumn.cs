using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary><c>float</c> and <c>int</c> columns (and a regression label) as Single; missing is NaN.</summary>
internal sealed class NumberColumn(ColumnPlan plan) : ColumnData(plan)
{
    private readonly ColumnBuffer<float> _values = new();
    private float _staged;

    public override int Count => _values.Count;

    public override DataViewType ViewType => NumberDataViewType.Single;

    public float this[int row] => _values[row];

    public override void Reserve(int rows) => _values.Reserve(rows);

    public override void Commit() => _values.Add(_staged);

    public override bool IsMissing(int row) => float.IsNaN(_values[row]);

    public override Delegate MakeGetter(IRowPosition position) =>
        (ValueGetter<float>)((ref float value) => value = _values[position.Row]);

    public override void AppendCanonical(int row, StringBuilder text)
    {
        var value = _values[row];
        if (!float.IsNaN(value))
        {
            Span<char> buffer = stackalloc char[32];
            value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture);
            text.Append(buffer[..written]);
        }
    }

    public override void WriteCanonical(int row, CanonicalText text)
    {
        if (!float.IsNaN(_values[row]))
        {
            text.AppendNumber(_values[row]);
        }
    }

    protected override bool IsMissingText(ReadOnlySpan<char> raw) => ValueText.IsMissing(raw) || ValueText.IsNaN(raw);

    protected override void StageMissing() => _staged = float.NaN;

    protected override string? StageValue(ReadOnlySpan<char> raw)
    {
        _staged = float.NaN;
        if (!ValueText.TryNumber(raw, out var number))
        {
            return $"{Quote(raw)} is not a number";
        }

        if (Plan.Type == ColumnType.Int && !ValueText.IsWhole(number))
        {
            return $"{Quote(raw)} is not a whole number (the column is declared int)";
        }

        if (Plan.Min is { } min && number < min)
        {
            return $"{Echo.Value(raw, 40)} is below the minimum {Format(min)}";
        }

        if (Plan.Max is { } max && number > max)
        {
            return $"{Echo.Value(raw, 40)} is above the maximum {Format(max)}";
        }

        var single = (float)number;
        if (float.IsInfinity(single))
        {
            return $"{Quote(raw)} is too large for a 32-bit float";
        }

        _staged = single;
        return null;
    }

    private static string Format(double bound) => bound.ToString(CultureInfo.InvariantCulture);
}
