using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Sources;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// Reads the values an event carries for a view's features (its <see cref="EventSlot"/>s) out of a source record, the
/// one way both the offline event log and the online store type them: a missing or NaN value is NaN, a number is
/// itself, a <c>distinct_count</c> value is an identity given by <paramref name="distinct"/>.
/// </summary>
internal sealed class EventTyper(IReadOnlyList<EventSlot> slots, int[] slotIndex, Func<string, double> distinct)
{
    /// <summary>The slots' column positions in <paramref name="columns"/>, or the problem when one is absent.</summary>
    public static (int[]? Index, string? Problem) Locate(IReadOnlyList<EventSlot> slots, IReadOnlyList<string> columns, string view, string source)
    {
        var names = columns.ToList();
        var index = slots.Select(s => names.IndexOf(s.Column)).ToArray();
        return slots.Where((_, i) => index[i] < 0).Select(s => s.Column).Distinct().ToList() is { Count: > 0 } absent
            ? (null, $"feature view '{view}': {source} has no column {string.Join(", ", absent.Select(c => $"'{c}'"))}")
            : (index, null);
    }

    /// <summary>Fills <paramref name="values"/>; returns the first column whose text is not a number (then NaN there), else null.</summary>
    public (string Column, string Text)? Read(SourceRecord record, Span<double> values)
    {
        (string, string)? bad = null;
        for (var s = 0; s < slots.Count; s++)
        {
            var text = slotIndex[s] < record.FieldCount ? record[slotIndex[s]].Trim() : [];
            if (ValueText.IsMissing(text) || ValueText.IsNaN(text))
            {
                values[s] = double.NaN;
            }
            else if (slots[s].Distinct)
            {
                values[s] = distinct(text.ToString());
            }
            else if (ValueText.TryNumber(text, out var number))
            {
                values[s] = number;
            }
            else
            {
                values[s] = double.NaN;
                bad ??= (slots[s].Column, text.ToString());
            }
        }

        return bad;
    }
}
