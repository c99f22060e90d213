using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// Infers the type of an undeclared column from all of its values: all numbers → <c>int</c> (all whole) or
/// <c>float</c>; all <c>true</c>/<c>false</c> → <c>boolean</c>; all ISO 8601 dates → <c>datetime</c>; otherwise
/// <c>categorical</c> when the distinct values are few (at most max(50, 5 % of the values)), else <c>text</c>.
/// </summary>
internal sealed class ColumnInference
{
    /// <summary>Beyond this many distinct values a column is text whatever its length: nobody one-hot encodes 100k categories.</summary>
    private const int DistinctCap = 100_000;

    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private bool _numeric = true, _whole = true, _boolean = true, _date = true, _overflow;

    public int Values { get; private set; }

    public void Observe(ReadOnlySpan<char> value)
    {
        if (ValueText.IsMissing(value))
        {
            return;
        }

        Values++;
        if (_numeric)
        {
            if (ValueText.TryNumber(value, out var number))
            {
                _whole &= ValueText.IsWhole(number);
            }
            else if (!ValueText.IsNaN(value))
            {
                _numeric = false;
            }
        }

        _boolean = _boolean && ValueText.TryTrueFalse(value, out _);
        _date = _date && ValueText.TryDate(value, out _);
        if (!_overflow)
        {
            var lookup = _distinct.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.Contains(value))
            {
                lookup.Add(value);
                _overflow = _distinct.Count > DistinctCap;
            }
        }
    }

    public ColumnType Result()
    {
        if (Values == 0 || _numeric)
        {
            return Values > 0 && _whole ? ColumnType.Int : ColumnType.Float;
        }

        if (_boolean)
        {
            return ColumnType.Boolean;
        }

        if (_date)
        {
            return ColumnType.Datetime;
        }

        return !_overflow && _distinct.Count <= Math.Max(50, Values * 0.05) ? ColumnType.Categorical : ColumnType.Text;
    }
}
