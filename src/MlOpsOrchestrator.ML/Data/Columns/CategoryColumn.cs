using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// <c>categorical</c> columns, and the class names of a binary or multiclass label, as String (missing = empty).
/// For a label the class name is canonical for its type: a numeric label's <c>1.</c> and <c>1.0</c> are class
/// <c>1</c>, a boolean label's <c>True</c> is <c>true</c>.
/// </summary>
internal sealed class CategoryColumn(ColumnPlan plan, CategoryDictionary dictionary, bool isLabel = false) : ColumnData(plan)
{
    private const int Missing = -1;
    private readonly ColumnBuffer<int> _codes = new();
    private int _staged;
    private string? _pending;

    public CategoryDictionary Dictionary => dictionary;

    public override int Count => _codes.Count;

    public override DataViewType ViewType => TextDataViewType.Instance;

    public int Code(int row) => _codes[row];

    public override void Reserve(int rows) => _codes.Reserve(rows);

    public override void Commit()
    {
        if (_pending is not null)
        {
            _staged = dictionary.Add(_pending);
            _pending = null;
        }

        _codes.Add(_staged);
    }

    public override bool IsMissing(int row) => _codes[row] == Missing;

    public override Delegate MakeGetter(IRowPosition position) =>
        (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) =>
        {
            var code = _codes[position.Row];
            value = code == Missing ? ReadOnlyMemory<char>.Empty : dictionary[code].AsMemory();
        });

    public override void AppendCanonical(int row, StringBuilder text)
    {
        if (_codes[row] != Missing)
        {
            Canonical.Escape(dictionary[_codes[row]], text);
        }
    }

    public override void WriteCanonical(int row, CanonicalText text)
    {
        if (_codes[row] != Missing)
        {
            text.AppendEscaped(dictionary[_codes[row]]);
        }
    }

    // A label of NaN is missing whatever the label's type (pandas writes it for a missing text value too): as a class it
    // would silently count as a negative next to a 'positive:' class.
    protected override bool IsMissingText(ReadOnlySpan<char> raw) =>
        ValueText.IsMissing(raw) || (isLabel && ValueText.IsNaN(raw));

    protected override void StageMissing()
    {
        _staged = Missing;
        _pending = null;
    }

    protected override string? StageValue(ReadOnlySpan<char> raw)
    {
        _staged = Missing;
        _pending = null;
        string? canonical = null;
        if (isLabel && Plan.IsNumeric)
        {
            if (!ValueText.TryNumber(raw, out var number))
            {
                return $"{Quote(raw)} is not a number";
            }

            canonical = ValueText.Canonical(number);
        }
        else if (isLabel && Plan.Type == ColumnType.Boolean)
        {
            if (!ValueText.TryBoolean(raw, out var flag))
            {
                return $"{Quote(raw)} is not a boolean (true/false, yes/no or 1/0)";
            }

            canonical = flag ? "true" : "false";
        }

        var code = canonical is null ? dictionary.Find(raw) : dictionary.Find(canonical);
        if (code >= 0)
        {
            _staged = code;
            return null;
        }

        if (dictionary.Closed)
        {
            return $"{Quote(raw)} is not one of the classes listed in 'classes:' ({Echo.List(dictionary.Values)})";
        }

        _pending = canonical ?? raw.ToString();
        return null;
    }
}
