using MlOpsOrchestrator.ML.Data.Ingestion;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

[TestFixture]
public sealed class CsvRecordReaderTests
{
    // Records are written as fields joined by '|' and records joined by '/'.
    [TestCase("a,b\n1,2\n", ',', "a|b/1|2", TestName = "plain")]
    [TestCase("a,b\n1,2", ',', "a|b/1|2", TestName = "no trailing newline")]
    [TestCase("a,b\r\n1,2\r\n", ',', "a|b/1|2", TestName = "CRLF")]
    [TestCase("\uFEFFa;b\n1;2", ';', "a|b/1|2", TestName = "BOM and semicolon")]
    [TestCase("a\tb c\n1\t 2 ", '\t', "a|b c/1|2", TestName = "tab keeps inner spaces, trims padding")]
    [TestCase("age, workclass\n39, State-gov\n", ',', "age|workclass/39|State-gov", TestName = "padded fields")]
    [TestCase("a,b\n1,2\n\n\n  \n", ',', "a|b/1|2", TestName = "blank trailing lines")]
    [TestCase("a,b\n\n1,2\n", ',', "a|b/1|2", TestName = "blank line inside")]
    [TestCase("a,b\n\"x, y\",2\n", ',', "a|b/x, y|2", TestName = "quoted comma")]
    [TestCase("a,b\n\"say \"\"hi\"\"\",2\n", ',', "a|b/say \"hi\"|2", TestName = "escaped quotes")]
    [TestCase("a,b\n \" padded \" ,2\n", ',', "a|b/ padded |2", TestName = "quoted content keeps its spaces")]
    [TestCase("a,b\n\"\",\n", ',', "a|b/|", TestName = "empty quoted and trailing empty")]
    [TestCase("a,b,c\n,,\n", ',', "a|b|c/||", TestName = "all empty")]
    [TestCase("a,b\n5'10\",x\n", ',', "a|b/5'10\"|x", TestName = "quote inside unquoted field is literal")]
    [TestCase("a,b\n?,1.\n", ',', "a|b/?|1.", TestName = "question mark and trailing dot kept as text")]
    public void Read_Quirks_YieldsFields(string text, char separator, string expected)
    {
        using var reader = new CsvRecordReader(new StringReader(text), separator);
        var records = new List<string>();
        while (reader.Read())
        {
            Assert.That(reader.Error, Is.Null);
            records.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.FieldText)));
        }

        Assert.That(string.Join("/", records), Is.EqualTo(expected));
    }

    [Test]
    public void Read_QuotedNewline_SpansLinesAndReportsStartLine()
    {
        using var reader = new CsvRecordReader(new StringReader("a,b\n\"two\nlines\",1\nx,2\n"), ',');
        var seen = new List<(int Line, string First)>();
        while (reader.Read())
        {
            seen.Add((reader.Line, reader.FieldText(0)));
        }

        Assert.That(seen, Is.EqualTo(new[] { (1, "a"), (2, "two\nlines"), (4, "x") }));
    }

    [Test]
    public void Read_UnclosedQuote_ReportsTheLineItStartedOn()
    {
        using var reader = new CsvRecordReader(new StringReader("a,b\n1,\"open\n2,3\n"), ',');
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.Error, Does.Contain("starts on line 2"));
        Assert.That(reader.Read(), Is.False);
    }

    [Test]
    public void Read_LineNumbers_CountBlankLines()
    {
        using var reader = new CsvRecordReader(new StringReader("h\n\n1\n\n\n2"), ',');
        var lines = new List<int>();
        while (reader.Read())
        {
            lines.Add(reader.Line);
        }

        Assert.That(lines, Is.EqualTo(new[] { 1, 3, 6 }));
    }

    [TestCase("a\rb\r\nc\n\rd", TestName = "CR, CRLF, LF then CR")]
    [TestCase("a\r", TestName = "trailing CR")]
    [TestCase("\r\n\r\n", TestName = "only line breaks")]
    public void Read_LineBreaks_CutLinesAsReadLineDoes(string text)
    {
        var expected = new List<(int, string)>();
        using (var lines = new StringReader(text))
        {
            var number = 0;
            while (lines.ReadLine() is { } line)
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    expected.Add((number, line));
                }
            }
        }

        Assert.That(ReadAll(new StringReader(text)), Is.EqualTo(expected));
    }

    [Test]
    public void Read_RecordsAcrossChunkBoundaries_AreWhole()
    {
        // Lines of many lengths, one longer than the reader's chunk, CRLF breaks straddling chunk ends, a quoted
        // field spanning lines: every record must come back whole with its line number.
        var text = new System.Text.StringBuilder();
        var expected = new List<(int, string)>();
        var line = 1;
        for (var i = 0; i < 5000; i++)
        {
            var value = i == 2500 ? new string('x', 200_000) : new string((char)('a' + (i % 26)), i % 97);
            if (i % 500 == 7)
            {
                text.Append('"').Append(value).Append("\r\nmore\"\r\n");
                expected.Add((line, value + "\nmore"));
                line += 2;
                continue;
            }

            text.Append(value).Append(i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\r");
            if (value.Length > 0)
            {
                expected.Add((line, value));
            }

            line++;
        }

        Assert.That(ReadAll(new SlowReader(text.ToString())), Is.EqualTo(expected));
    }

    private static List<(int, string)> ReadAll(TextReader input)
    {
        using var reader = new CsvRecordReader(input, ',');
        var records = new List<(int, string)>();
        while (reader.Read())
        {
            Assert.That(reader.Error, Is.Null);
            records.Add((reader.Line, string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.FieldText))));
        }

        return records;
    }

    /// <summary>Hands out the text in odd-sized pieces, so line breaks land on every position of a chunk.</summary>
    private sealed class SlowReader(string text) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(Math.Min(count, 7919), text.Length - _position);
            text.CopyTo(_position, buffer, index, n);
            _position += n;
            return n;
        }
    }
}
