using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// An <see cref="IDataView"/> over typed column arrays and a list of row indices (a train or test split), so the
/// prepared data reaches <c>SaveAsBinary</c> without a per-row object.
/// </summary>
internal sealed class ColumnarDataView : IDataView
{
    private readonly IReadOnlyList<IOutputColumn> _columns;
    private readonly int[] _rows;

    public ColumnarDataView(IReadOnlyList<IOutputColumn> columns, int[] rows)
    {
        _columns = columns;
        _rows = rows;
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
        {
            builder.AddColumn(column.Name, column.ViewType);
        }

        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor, IRowPosition
    {
        private readonly ColumnarDataView _view;
        private readonly Delegate?[] _getters;
        private long _position = -1;

        public Cursor(ColumnarDataView view, HashSet<int> active)
        {
            _view = view;
            _getters = new Delegate?[view._columns.Count];
            for (var i = 0; i < _getters.Length; i++)
            {
                _getters[i] = active.Contains(i) ? view._columns[i].MakeGetter(this) : null;
            }
        }

        public int Row => _view._rows[(int)_position];

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _view.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => _getters[column.Index] is not null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            _getters[column.Index] switch
            {
                ValueGetter<TValue> getter => getter,
                null => throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor."),
                _ => throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}."),
            };

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override bool MoveNext()
        {
            if (_position + 1 >= _view._rows.Length)
            {
                _position = _view._rows.Length;
                return false;
            }

            _position++;
            return true;
        }
    }
}
