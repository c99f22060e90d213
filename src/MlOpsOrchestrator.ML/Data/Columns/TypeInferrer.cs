using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// The first of two passes over a source: infers the types of undeclared columns from every row (not from a
/// sample, and in incremental mode from the whole file, not only the new rows, so types stay the same from run to
/// run). Malformed rows are left to the second pass to report.
/// </summary>
internal static class TypeInferrer
{
    public static Dictionary<string, ColumnType> Infer(IRecordSource file, IReadOnlyList<string> columns, CancellationToken ct)
    {
        var result = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        if (columns.Count == 0)
        {
            return result;
        }

        var indices = columns.Select(c => IndexOf(file.Columns, c)).ToArray();
        var inference = columns.Select(_ => new ColumnInference()).ToArray();
        using var cursor = file.OpenRecords();
        var reader = cursor.Record;
        var rows = 0;
        while (cursor.Read())
        {
            if (++rows % 65_536 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            if (reader.Error is not null || reader.FieldCount != file.Columns.Count)
            {
                continue;
            }

            for (var i = 0; i < indices.Length; i++)
            {
                inference[i].Observe(reader[indices[i]]);
            }
        }

        for (var i = 0; i < columns.Count; i++)
        {
            result[columns[i]] = inference[i].Result();
        }

        return result;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"column '{name}' is not in the file", nameof(name));
    }
}
