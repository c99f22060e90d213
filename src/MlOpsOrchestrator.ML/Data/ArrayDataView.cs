using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlOpsOrchestrator.ML.Data;

/// <summary>
/// A small in-memory <see cref="IDataView"/> over typed arrays, one per column, for columns known only at run time
/// (ML.NET's own in-memory loader needs a compile-time row class). Immutable, so concurrent cursors are safe.
/// </summary>
internal sealed class ArrayDataView : IDataView
{
    private readonly Array[] _columns;
    private readonly int _rows;

    /// <param name="schema">One column per array, in the same order.</param>
    /// <param name="columns">
    /// <c>float[]</c> for Single, <c>bool[]</c> for Boolean, <c>ReadOnlyMemory&lt;char&gt;[]</c> for String,
    /// <c>DateTime[]</c> for DateTime; all of length <paramref name="rows"/>.
    /// </param>
    /// <param name="rows">The number of rows.</param>
    public ArrayDataView(DataViewSchema schema, Array[] columns, int rows)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length != schema.Count || columns.Any(c => c.Length != rows))
        {
            throw new ArgumentException("Every schema column needs an array of the row count.", nameof(columns));
        }

        Schema = schema;
        _columns = columns;
        _rows = rows;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [new Cursor(this, columnsNeeded)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ArrayDataView _view;
        private readonly bool[] _active;
        private long _position = -1;

        public Cursor(ArrayDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            _view = view;
            _active = new bool[view.Schema.Count];
            foreach (var column in columnsNeeded)
            {
                _active[column.Index] = true;
            }
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override bool MoveNext()
        {
            if (_position + 1 < _view._rows)
            {
                _position++;
                return true;
            }

            _position = _view._rows;
            return false;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested by this cursor.");
            }

            if (_view._columns[column.Index] is not TValue[] values)
            {
                throw new InvalidOperationException(
                    $"Column '{column.Name}' holds {_view._columns[column.Index].GetType().GetElementType()?.Name}, not {typeof(TValue).Name}.");
            }

            return (ref TValue value) => value = values[_position];
        }
    }
}
