using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// <c>text</c> columns as String. An empty text is a value (a comment nobody wrote), so it never fails <c>missing: fail</c>.
/// Repeated texts (canned notes, templates) share one string: the first <see cref="MaxShared"/> distinct values are
/// kept in a table looked up by span, so a million rows of a few phrases hold a few strings, not a million.
/// </summary>
internal sealed class TextColumn(ColumnPlan plan) : ColumnData(plan)
{
    private const int MaxShared = 65_536;
    private readonly ColumnBuffer<string> _values = new();
    private readonly HashSet<string> _shared = new(StringComparer.Ordinal);
    private string _staged = "";

    public override int Count => _values.Count;

    public override DataViewType ViewType => TextDataViewType.Instance;

    public string this[int row] => _values[row];

    public override void Reserve(int rows) => _values.Reserve(rows);

    public override void Commit() => _values.Add(_staged);

    public override bool IsMissing(int row) => _values[row].Length == 0;

    public override Delegate MakeGetter(IRowPosition position) =>
        (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = _values[position.Row].AsMemory());

    public override void AppendCanonical(int row, StringBuilder text) => Canonical.Escape(_values[row], text);

    public override void WriteCanonical(int row, CanonicalText text) => text.AppendEscaped(_values[row]);

    protected override void StageMissing() => _staged = "";

    protected override string? StageValue(ReadOnlySpan<char> raw)
    {
        var shared = _shared.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!shared.TryGetValue(raw, out var value))
        {
            value = raw.ToString();
            if (_shared.Count < MaxShared)
            {
                _shared.Add(value);
            }
        }

        _staged = value;
        return null;
    }
}
