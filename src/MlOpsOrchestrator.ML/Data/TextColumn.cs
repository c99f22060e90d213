using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlOpsOrchestrator.ML.Data;

/// <summary><c>text</c> columns as String. An empty text is a value (a comment nobody wrote), so it never fails <c>missing: fail</c>.</summary>
internal sealed class TextColumn(ColumnPlan plan) : ColumnData(plan)
{
    private readonly ColumnBuffer<string> _values = new();
    private string _staged = "";

    public override int Count => _values.Count;

    public override DataViewType ViewType => TextDataViewType.Instance;

    public string this[int row] => _values[row];

    public override void Commit() => _values.Add(_staged);

    public override bool IsMissing(int row) => _values[row].Length == 0;

    public override Delegate MakeGetter(IRowPosition position) =>
        (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = _values[position.Row].AsMemory());

    public override void AppendCanonical(int row, StringBuilder text) => Canonical.Escape(_values[row], text);

    protected override void StageMissing() => _staged = "";

    protected override string? StageValue(ReadOnlySpan<char> raw)
    {
        _staged = raw.ToString();
        return null;
    }
}
