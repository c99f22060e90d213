using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// <c>datetime</c> columns (and the timestamp) as DateTime in UTC. DateTime has no missing value, so missing values
/// are filled here: <c>missing: mean</c> takes the mean instant, anything else the Unix epoch.
/// </summary>
internal sealed class DateColumn(ColumnPlan plan) : ColumnData(plan)
{
    private const long Missing = long.MinValue;
    private readonly ColumnBuffer<long> _ticks = new();
    private long _staged;

    public override int Count => _ticks.Count;

    public override DataViewType ViewType => DateTimeDataViewType.Instance;

    /// <summary>The staged value as UTC ticks, for the incremental watermark filter before the rest of the row is read.</summary>
    public long StagedTicks => _staged;

    public long Ticks(int row) => _ticks[row];

    public override void Reserve(int rows) => _ticks.Reserve(rows);

    public override void Commit() => _ticks.Add(_staged);

    public override bool IsMissing(int row) => _ticks[row] == Missing;

    public override void Impute()
    {
        var fill = DateTime.UnixEpoch.Ticks;
        if (Plan.Missing == MissingPolicy.Mean)
        {
            // Mean of offsets from the first value: no overflow for any realistic range.
            long? origin = null;
            double sum = 0;
            var count = 0;
            foreach (var ticks in _ticks.AsSpan())
            {
                if (ticks != Missing)
                {
                    origin ??= ticks;
                    sum += ticks - origin.Value;
                    count++;
                }
            }

            fill = origin is null ? fill : origin.Value + (long)(sum / count);
        }

        for (var i = 0; i < _ticks.Count; i++)
        {
            if (_ticks[i] == Missing)
            {
                _ticks[i] = fill;
            }
        }
    }

    public override Delegate MakeGetter(IRowPosition position) =>
        (ValueGetter<DateTime>)((ref DateTime value) => value = new DateTime(_ticks[position.Row], DateTimeKind.Utc));

    public override void AppendCanonical(int row, StringBuilder text)
    {
        if (_ticks[row] != Missing)
        {
            text.Append(ValueText.Iso(new DateTime(_ticks[row], DateTimeKind.Utc)));
        }
    }

    public override void WriteCanonical(int row, CanonicalText text)
    {
        if (_ticks[row] != Missing)
        {
            text.AppendIso(_ticks[row]);
        }
    }

    protected override void StageMissing() => _staged = Missing;

    protected override string? StageValue(ReadOnlySpan<char> raw)
    {
        if (ValueText.TryDate(raw, out var utc))
        {
            _staged = utc.Ticks;
            return null;
        }

        _staged = Missing;
        return $"{Quote(raw)} is not a date (expected ISO 8601: yyyy-MM-dd, yyyy-MM-dd HH:mm:ss or yyyy-MM-ddTHH:mm:ssZ)";
    }
}
