using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.ML.Data;

namespace MlOpsOrchestrator.ML.Serving;

/// <summary>
/// One reusable input row with the model's raw feature columns: <see cref="ScoringInput"/> writes a request's values
/// into it, then <see cref="Advance"/> moves it to a new position so the mapped row above it computes afresh (ML.NET's
/// row mappers cache by position). Not thread-safe: each <see cref="ScoringSession"/> owns one.
/// </summary>
internal sealed class ScoringRow : DataViewRow
{
    private readonly float[] _numbers;
    private readonly bool[] _flags;
    private readonly ReadOnlyMemory<char>[] _texts;
    private readonly DateTime[] _times;
    private long _position = -1;

    public ScoringRow(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _numbers = new float[schema.Count];
        _flags = new bool[schema.Count];
        _texts = new ReadOnlyMemory<char>[schema.Count];
        _times = new DateTime[schema.Count];
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _position;

    public override long Batch => 0;

    public void SetNumber(int column, float value) => _numbers[column] = value;

    public void SetFlag(int column, bool value) => _flags[column] = value;

    public void SetText(int column, ReadOnlyMemory<char> value) => _texts[column] = value;

    public void SetTime(int column, DateTime value) => _times[column] = value;

    /// <summary>Makes the values written since the last call the row's current ones.</summary>
    public void Advance() => _position++;

    /// <summary>Drops references to request text, so a pooled row does not keep a request's strings alive.</summary>
    public void Clear() => Array.Clear(_texts);

    /// <summary>The current values as a one-row data view, for a model that cannot map row by row.</summary>
    public IDataView ToDataView()
    {
        var columns = new Array[Schema.Count];
        for (var i = 0; i < Schema.Count; i++)
        {
            columns[i] = Schema[i].Type switch
            {
                NumberDataViewType => new[] { _numbers[i] },
                BooleanDataViewType => new[] { _flags[i] },
                DateTimeDataViewType => new[] { _times[i] },
                _ => (Array)new[] { _texts[i] },
            };
        }

        return new ArrayDataView(Schema, columns, 1);
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => true;

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var i = column.Index;
        Delegate getter = Schema[i].Type switch
        {
            NumberDataViewType => (ValueGetter<float>)((ref float value) => value = _numbers[i]),
            BooleanDataViewType => (ValueGetter<bool>)((ref bool value) => value = _flags[i]),
            DateTimeDataViewType => (ValueGetter<DateTime>)((ref DateTime value) => value = _times[i]),
            _ => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = _texts[i]),
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {Schema[i].Type}, not {typeof(TValue).Name}.");
    }
}
