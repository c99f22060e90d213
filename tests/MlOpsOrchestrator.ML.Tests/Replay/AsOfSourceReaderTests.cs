using MlOpsOrchestrator.ML.Replay;
using MlOpsOrchestrator.ML.Tests.Data;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Replay;

public sealed class AsOfSourceReaderTests
{
    private static readonly string[] Columns = ["ts", "x", "y"];

    private static readonly string[][] Rows =
    [
        ["2025-01-01 00:00:00", "1", "10"],
        ["2025-01-01 01:00:00", "2", "20"],
        ["not a time", "3", "30"],
        ["2025-01-01 02:00:00", "4", "40"],
        ["2025-01-01T01:30:00Z", "5", "50"],
    ];

    [TestCase("2024-12-31T23:59:59", new[] { "3" })]
    [TestCase("2025-01-01T01:00:00", new[] { "1", "2", "3" })]
    [TestCase("2025-01-01T01:30:00", new[] { "1", "2", "3", "5" })]
    [TestCase("2025-01-01T02:00:00", new[] { "1", "2", "3", "4", "5" })]
    public async Task OpenAsync_AtAnInstant_LeavesOutOnlyTheRowsAfterIt(string asOf, string[] expected)
    {
        var at = DateTime.SpecifyKind(DateTime.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
        var reader = new AsOfSourceReader(new MemorySourceReader(Columns, Rows), "ts", () => at);

        var opening = await reader.OpenAsync(new SourceRequest { Source = Source() }, CancellationToken.None);

        using var source = opening.Source!;
        Assert.That(source.Columns, Is.EqualTo(Columns));
        Assert.That(Read(source), Is.EqualTo(expected), "rows at or before the instant, and the undated row for data_prep to report");
        Assert.That(Read(source), Is.EqualTo(expected), "every cursor filters alike");
    }

    [Test]
    public async Task OpenAsync_SourceWithoutTheTimestampColumn_IsReadWhole()
    {
        var reader = new AsOfSourceReader(new MemorySourceReader(Columns, Rows), "when", () => DateTime.MinValue);

        var opening = await reader.OpenAsync(new SourceRequest { Source = Source() }, CancellationToken.None);

        using var source = opening.Source!;
        Assert.That(Read(source), Has.Count.EqualTo(Rows.Length));
    }

    [Test]
    public async Task OpenAsync_WithSnapshots_ReadsTheSourceOnceAndShowsWhatTheSourceShowsAtEveryInstant()
    {
        var instants = new[] { "2024-12-31T23:59:59", "2025-01-01T01:00:00", "2025-01-01T01:30:00", "2025-01-01T02:00:00" }
            .Select(t => DateTime.SpecifyKind(DateTime.Parse(t, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc)).ToList();
        var direct = new FakeReader(filtersByWatermark: false);
        var kept = new FakeReader(filtersByWatermark: false);
        var snapshots = new SourceSnapshots();
        var at = instants[0];

        foreach (var instant in instants)
        {
            at = instant;
            var expected = await DumpAsync(new AsOfSourceReader(direct, "ts", () => instant));
            var actual = await DumpAsync(new AsOfSourceReader(kept, "ts", () => at, snapshots));
            Assert.That(actual, Is.EqualTo(expected), $"as of {instant:O}: the same records, lines, fields and errors as read from the source");
        }

        Assert.Multiple(() =>
        {
            Assert.That(kept.RecordsOpened, Is.EqualTo(1), "the source's records are read once for every opening");
            Assert.That(direct.RecordsOpened, Is.EqualTo(2 * instants.Count), "read twice per opening without snapshots (each dump reads twice)");
            Assert.That(snapshots.Reads, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task OpenAsync_SourceThatFiltersByWatermark_IsNeverKept()
    {
        var reader = new FakeReader(filtersByWatermark: true);
        var snapshots = new SourceSnapshots();

        await DumpAsync(new AsOfSourceReader(reader, "ts", () => DateTime.MaxValue, snapshots));
        await DumpAsync(new AsOfSourceReader(reader, "ts", () => DateTime.MaxValue, snapshots));

        Assert.That(reader.RecordsOpened, Is.EqualTo(4), "what it returns depends on the run's watermark: read every time");
        Assert.That(snapshots.Reads, Is.Zero);
    }

    /// <summary>Every record the reader shows (twice, by two cursors), with its line, error and fields.</summary>
    private static async Task<List<string>> DumpAsync(AsOfSourceReader reader)
    {
        var opening = await reader.OpenAsync(new SourceRequest { Source = Source() }, CancellationToken.None);
        using var source = opening.Source!;
        var lines = new List<string>();
        for (var pass = 0; pass < 2; pass++)
        {
            using var cursor = source.OpenRecords();
            while (cursor.Read())
            {
                var record = cursor.Record;
                var fields = Enumerable.Range(0, record.FieldCount).Select(record.FieldText);
                lines.Add($"{pass}|{record.Line}|{record.Error}|{record.NotText}|{string.Join(",", fields)}");
            }
        }

        return lines;
    }

    /// <summary>A source of <see cref="Rows"/> plus a malformed record and a short one, counting how often its records are read.</summary>
    private sealed class FakeReader(bool filtersByWatermark) : ISourceReader
    {
        public int RecordsOpened { get; private set; }

        public string Type => MemorySourceReader.TypeName;

        public SourceKeys Keys { get; } = new(MemorySourceReader.TypeName, [], []);

        public string DisplayName(SourceSpec source) => "the fake";

        public Task<SourceOpening> OpenAsync(SourceRequest request, CancellationToken ct) =>
            Task.FromResult(SourceOpening.Opened(new Fake(this, filtersByWatermark)));

        private sealed class Fake(FakeReader reader, bool filters) : IRecordSource
        {
            public string DisplayName => "the fake";
            public IReadOnlyList<string> Columns => AsOfSourceReaderTests.Columns;
            public bool HasLines => true;
            public bool FiltersByWatermark => filters;
            public string NoRows => "no rows";

            public IRecordCursor OpenRecords()
            {
                reader.RecordsOpened++;
                return new Cursor();
            }

            public void Dispose()
            {
            }
        }

        private sealed class Cursor : IRecordCursor
        {
            private static readonly string[][] All = [.. Rows, ["2025-01-01 00:30:00", "6\"unclosed", "60"], ["2025-01-01 00:45:00"]];
            private int _next;

            public SourceRecord Record { get; } = new();

            public double FractionRead => (double)_next / All.Length;

            public bool Read()
            {
                if (_next == All.Length)
                {
                    return false;
                }

                var row = All[_next++];
                Record.Clear();
                Record.Line = (_next * 2) + 1;
                foreach (var field in row)
                {
                    var start = Record.Length;
                    Record.Append(field);
                    Record.EndField(start);
                }

                if (row.Length > 1 && row[1].Contains('"', StringComparison.Ordinal))
                {
                    Record.Fail("a quote is never closed");
                }

                return true;
            }

            public void Dispose()
            {
            }
        }
    }

    private static SourceSpec Source() => new() { Type = MemorySourceReader.TypeName, Mark = default };

    private static List<string> Read(IRecordSource source)
    {
        var values = new List<string>();
        using var cursor = source.OpenRecords();
        while (cursor.Read())
        {
            values.Add(cursor.Record.FieldText(1));
        }

        return values;
    }
}
