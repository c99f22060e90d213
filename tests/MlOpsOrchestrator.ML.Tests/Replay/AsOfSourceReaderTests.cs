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
