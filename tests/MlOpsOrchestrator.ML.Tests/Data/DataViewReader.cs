using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>Reads one column of an <see cref="IDataView"/> into a list, for assertions.</summary>
internal static class DataViewReader
{
    public static List<T> Column<T>(IDataView view, string name)
    {
        var column = view.Schema[name];
        var values = new List<T>();
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value);
        }

        return values;
    }

    public static List<string> Strings(IDataView view, string name) =>
        Column<ReadOnlyMemory<char>>(view, name).Select(v => v.ToString()).ToList();

    public static DataViewType TypeOf(IDataView view, string name) => view.Schema[name].Type;
}
