using System.Text;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>The reader over a source's bytes as data_prep opens it: strict UTF-8 by default, or the declared encoding.</summary>
[TestFixture]
public sealed class CsvRecordReaderEncodingTests
{
    [Test]
    public void Read_Latin1BytesAsUtf8_TheRecordNamesTheColumn()
    {
        var bytes = Encoding.Latin1.GetBytes("city,n\nParis,1\nMontréal,2\nLyon,3\n");

        var records = ReadAll(bytes, SourceEncoding.Utf8, ["city", "n"]);

        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Error is null), Is.EqualTo(new[] { true, true, false, true }));
            Assert.That(records[2].Line, Is.EqualTo(3));
            Assert.That(records[2].Error, Does.StartWith("column 'city' has bytes that are not UTF-8 (read as 'Montr\uFFFDal')").And.Contain("encoding: latin1"));
        });
    }

    [Test]
    public void Read_InvalidBytesFarIntoTheFile_FoundOnTheirLine()
    {
        var text = new StringBuilder("a,b\n");
        for (var i = 0; i < 50_000; i++)
        {
            text.Append("x,").Append(i).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString()).Concat(new byte[] { 0x31, 0x2C, 0xFF, 0x0A }).ToArray();

        var records = ReadAll(bytes, SourceEncoding.Utf8, ["a", "b"]);

        Assert.Multiple(() =>
        {
            Assert.That(records.Count(r => r.Error is not null), Is.EqualTo(1));
            Assert.That(records[^1].Line, Is.EqualTo(50_002));
            Assert.That(records[^1].Error, Does.StartWith("column 'b' has bytes that are not UTF-8"));
        });
    }

    [Test]
    public void Read_ReplacementCharacterWrittenAsUtf8_IsText()
    {
        var records = ReadAll(Encoding.UTF8.GetBytes("a,b\n\uFFFD,1\n"), SourceEncoding.Utf8, ["a", "b"]);

        Assert.That(records.Select(r => (r.Error, r.Fields)), Is.EqualTo(new[] { ((string?)null, "a|b"), (null, "\uFFFD|1") }));
    }

    [Test]
    public void Read_SeveralInvalidSequencesInOneRecord_OneErrorNamingTheFirstField_ALaterReplacementCharacterIsText()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("a,b\n"), 0xE9, 0x2C, 0xFF, 0xFE, 0x0A, .. Encoding.UTF8.GetBytes("\uFFFD,1\n")];

        var records = ReadAll(bytes, SourceEncoding.Utf8, ["a", "b"]);

        Assert.Multiple(() =>
        {
            Assert.That(records[1].Error, Does.StartWith("column 'a' has bytes that are not UTF-8"));
            Assert.That(records[2].Error, Is.Null);
        });
    }

    [Test]
    public void Read_Utf8Bom_Skipped()
    {
        var records = ReadAll([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("région,n\nMontréal,1\n")], SourceEncoding.Utf8, []);

        Assert.That(records.Select(r => (r.Error, r.Fields)), Is.EqualTo(new[] { ((string?)null, "région|n"), (null, "Montréal|1") }));
    }

    [TestCase(SourceEncoding.Latin1, "Montréal €")]
    [TestCase(SourceEncoding.Windows1252, "Montréal €")]
    public void Read_DeclaredEncoding_ReadsTheBytesAsWritten(SourceEncoding encoding, string value)
    {
        var bytes = encoding == SourceEncoding.Latin1
            ? Encoding.Latin1.GetBytes("city\nMontréal \u0080\n")
            : CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes("city\n" + value + "\n");

        var records = ReadAll(bytes, encoding, []);

        Assert.That(records[1], Is.EqualTo((2, (string?)null, encoding == SourceEncoding.Latin1 ? "Montréal \u0080" : value)));
    }

    private static List<(int Line, string? Error, string Fields)> ReadAll(byte[] bytes, SourceEncoding encoding, IReadOnlyList<string> columns)
    {
        var (text, invalid) = SourceText.Open(new MemoryStream(bytes), encoding, 1 << 14);
        using var reader = new CsvRecordReader(text, ',', invalid) { Columns = columns };
        var records = new List<(int, string?, string)>();
        while (reader.Read())
        {
            records.Add((reader.Line, reader.Error, string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.FieldText))));
        }

        return records;
    }
}
