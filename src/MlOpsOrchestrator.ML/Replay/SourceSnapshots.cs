using System.Collections.Concurrent;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Replay;

/// <summary>
/// The records of each source a replay reads, kept in memory the first time a run reads them, each with its timestamp
/// read once, so the hundreds of runs of a replay do not read and parse the same file again and again: a replay takes
/// its data as fixed from its start (it has read it whole already to know when rows arrive). Shared by every schedule
/// of one replay. Records keep their source order, line numbers and errors, so a run reads exactly what it would read
/// from the source, and <see cref="AsOfSourceReader"/> still leaves out every record after the run's instant. A source
/// that filters by the watermark itself is never kept: what it returns depends on the run.
/// </summary>
public sealed class SourceSnapshots
{
    private readonly ConcurrentDictionary<(SourceSpec Source, string Columns, int Timestamp), Lazy<Snapshot>> _sources = new();

    /// <summary>How many times a source was read from start to end to be kept (once per source and timestamp column).</summary>
    public int Reads => _sources.Values.Count(s => s.IsValueCreated);

    /// <summary>The kept records of <paramref name="source"/>, read from it the first time.</summary>
    internal Snapshot Of(SourceSpec spec, IRecordSource source, int timestamp) =>
        _sources.GetOrAdd((spec, string.Join('\n', source.Columns), timestamp),
            _ => new Lazy<Snapshot>(() => Snapshot.Read(source, timestamp), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>One source's records in source order, each with the UTC ticks of its timestamp (<see cref="long.MinValue"/> when it has none: always shown).</summary>
    internal sealed class Snapshot
    {
        private Snapshot(List<Entry> entries) => Entries = entries;

        public IReadOnlyList<Entry> Entries { get; }

        public static Snapshot Read(IRecordSource source, int timestamp)
        {
            var entries = new List<Entry>();
            using var cursor = source.OpenRecords();
            while (cursor.Read())
            {
                var record = cursor.Record;
                var fields = new string[record.FieldCount];
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] = record.FieldText(i);
                }

                // As AsOfCursor decides: a malformed or undated record is passed on, for the step to report.
                var ticks = record.Error is not null || record.FieldCount <= timestamp || !ValueText.TryDate(record[timestamp].Trim(), out var at)
                    ? long.MinValue
                    : at.Ticks;
                entries.Add(new Entry(record.Line, record.Error, record.NotText, fields, ticks));
            }

            return new Snapshot(entries);
        }
    }

    internal sealed record Entry(int Line, string? Error, bool NotText, string[] Fields, long Ticks);

    /// <summary>A cursor over a snapshot's records at or before an instant (and those without a timestamp).</summary>
    internal sealed class Cursor(Snapshot snapshot, long asOfTicks) : IRecordCursor
    {
        private int _next;

        public SourceRecord Record { get; } = new();

        public double FractionRead => snapshot.Entries.Count == 0 ? 1 : (double)_next / snapshot.Entries.Count;

        public bool Read()
        {
            var entries = snapshot.Entries;
            while (_next < entries.Count)
            {
                var entry = entries[_next++];
                if (entry.Ticks > asOfTicks)
                {
                    continue;
                }

                Record.Clear();
                Record.Line = entry.Line;
                foreach (var field in entry.Fields)
                {
                    var start = Record.Length;
                    Record.Append(field);
                    Record.EndField(start);
                }

                if (entry.Error is not null)
                {
                    Record.Fail(entry.Error, entry.NotText);
                }

                return true;
            }

            return false;
        }

        public void Dispose()
        {
        }
    }
}
