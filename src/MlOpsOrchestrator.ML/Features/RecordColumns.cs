using System.Text;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Sources;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>Reads an entity key and an event time out of a source's records by column position.</summary>
internal sealed class RecordColumns(int[] entity, int timestamp)
{
    private readonly StringBuilder _key = new();

    /// <summary>Finds <paramref name="entity"/> and <paramref name="timestamp"/> among <paramref name="columns"/>; null with the problem when one is absent.</summary>
    public static (RecordColumns? Columns, string? Problem) Locate(IReadOnlyList<string> columns, IReadOnlyList<string> entity, string? timestamp, string source)
    {
        var names = columns.ToList();
        var missing = entity.Append(timestamp).Where(c => c is not null && !names.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            return (null, $"{source} has no column {string.Join(", ", missing.Select(c => $"'{c}'"))} (it has {string.Join(", ", columns)})");
        }

        return (new RecordColumns([.. entity.Select(e => names.IndexOf(e))], timestamp is null ? -1 : names.IndexOf(timestamp)), null);
    }

    /// <summary>
    /// The record's entity key without allocating (valid until the next call), or false when a part of it is missing.
    /// </summary>
    public bool TryKey(SourceRecord record, out ReadOnlySpan<char> key)
    {
        if (entity.Length == 1)
        {
            key = entity[0] < record.FieldCount ? record[entity[0]].Trim() : [];
            return !ValueText.IsMissing(key);
        }

        var joined = Key(record);
        key = joined;
        return joined is not null;
    }

    /// <summary>The record's entity key, or null when a part of it is missing.</summary>
    public string? Key(SourceRecord record)
    {
        _key.Clear();
        for (var i = 0; i < entity.Length; i++)
        {
            var part = entity[i] < record.FieldCount ? record[entity[i]].Trim() : [];
            if (ValueText.IsMissing(part))
            {
                return null;
            }

            if (i > 0)
            {
                _key.Append(EntityIds.Separator);
            }

            _key.Append(part);
        }

        return _key.ToString();
    }

    /// <summary>The record's time in UTC ticks (0 for a view without a timestamp), or null when it is missing or unreadable.</summary>
    public long? Ticks(SourceRecord record)
    {
        if (timestamp < 0)
        {
            return 0;
        }

        var text = timestamp < record.FieldCount ? record[timestamp].Trim() : [];
        return ValueText.TryDate(text, out var utc) ? utc.Ticks : null;
    }
}
