using System.Text;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>
/// Data files that are not what they claim: bytes in another encoding than the source declares, and headers so large
/// that echoing them would flood the terminal. Every message stays short and says where the problem is.
/// </summary>
public sealed partial class PipelineLoaderTests
{
    private const int FewKilobytes = 4096;

    private static string Churn(string source) => SampleYaml.Minimal.Replace(
        "  source: { type: csv, path: data/churn.csv }", $"  source: {source}", StringComparison.Ordinal);

    [Test]
    public void LoadFile_HeaderOfMillionsOfColumns_EachColumnErrorListsAFewAndCountsTheRest()
    {
        WriteBytes("data/wide.csv", Encoding.ASCII.GetBytes(string.Join(',', Enumerable.Range(0, 1_000_000).Select(i => $"c{i}"))));
        var yaml = Churn("{ type: csv, path: data/wide.csv }").Replace("  label: churned", "  label: churned\n  timestamp: ts\n  schema:\n    plan: { type: categorical }", StringComparison.Ordinal);

        var errors = _workspace.Load(yaml).Errors;

        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Count.EqualTo(3));
            Assert.That(errors.Select(e => e.ToString().Length), Is.All.LessThan(FewKilobytes));
            Assert.That(errors[0].Message, Does.Contain("column 'churned' does not exist in the data; valid: c0, c1, c2").And.EndWith(", ... (999,980 more)"));
        });
    }

    [Test]
    public void LoadFile_OneColumnNameOfFiftyMegabytes_ErrorShowsItsStartAndItsLength()
    {
        WriteBytes("data/one-line.csv", Encoding.ASCII.GetBytes(new string('x', 50_000_000)));

        var errors = _workspace.Load(Churn("{ type: csv, path: data/one-line.csv }")).Errors;

        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Count.EqualTo(1));
            Assert.That(errors[0].ToString(), Has.Length.LessThan(FewKilobytes));
            Assert.That(errors[0].Message, Does.Contain("valid: xxxxxxxx").And.Contain("(49,999,920 more characters)"));
        });
    }

    [Test]
    public void LoadFile_HugeUnknownValue_EchoedShort()
    {
        var yaml = SampleYaml.Minimal.Replace("task: binary", $"task: {new string('b', 1_000_000)}", StringComparison.Ordinal);

        var errors = _workspace.Load(yaml).Errors;

        Assert.That(errors.Select(e => e.ToString().Length), Is.All.LessThan(FewKilobytes));
    }

    [TestCase("latin1", SourceEncoding.Latin1)]
    [TestCase("iso-8859-1", SourceEncoding.Latin1)]
    [TestCase("windows-1252", SourceEncoding.Windows1252)]
    [TestCase("utf-8", SourceEncoding.Utf8)]
    public void LoadFile_Encoding_ReadIntoTheSource(string word, SourceEncoding expected)
    {
        var result = _workspace.Load(Churn($"{{ type: csv, path: data/churn.csv, encoding: {word} }}"));

        Assert.That(result.Definition?.Spec.Data.Source.Encoding, Is.EqualTo(expected), string.Join("\n", result.Errors));
    }

    [Test]
    public void LoadFile_NoEncoding_Utf8()
    {
        Assert.That(_workspace.Load(SampleYaml.Minimal).Definition!.Spec.Data.Source.Encoding, Is.EqualTo(SourceEncoding.Utf8));
    }

    [Test]
    public void LoadFile_UnknownEncoding_ErrorAtTheValueWithTheValidOnes()
    {
        var errors = _workspace.Load(Churn("{ type: csv, path: data/churn.csv, encoding: ebcdic }")).Errors;

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "pipeline.yaml:4:56: error: data.source.encoding: unknown value 'ebcdic'; valid: utf-8, latin1, iso-8859-1, windows-1252",
        }));
    }

    [Test]
    public void LoadFile_EncodingOnAPostgresSource_Error()
    {
        _workspace.Environment["PG"] = "Host=localhost";
        var errors = _workspace.Load(Churn("{ type: postgres, connection: \"${env:PG}\", query: select 1, encoding: latin1 }")).Errors;

        Assert.That(errors.Select(e => e.Message), Is.EqualTo(new[] { "'encoding' does not apply to a postgres source; remove it or change 'type'" }));
    }

    [Test]
    public void LoadFile_Latin1HeaderDeclaredLatin1_ColumnsReadAsWritten()
    {
        WriteBytes("data/accents.csv", Encoding.Latin1.GetBytes("âge,région,churned\n42,Montréal,true\n"));
        var yaml = Churn("{ type: csv, path: data/accents.csv, encoding: latin1 }").Replace("  label: churned", "  label: churned\n  schema:\n    région: { type: categorical }", StringComparison.Ordinal);

        var result = _workspace.Load(yaml);

        Assert.That(result.Definition?.Spec.Data.KnownColumns, Is.EqualTo(new[] { "âge", "région", "churned" }), string.Join("\n", result.Errors));
    }

    [Test]
    public void LoadFile_Latin1HeaderReadAsUtf8_ErrorAtThePathNamingLineAndColumn()
    {
        WriteBytes("data/accents.csv", Encoding.Latin1.GetBytes("âge,région,churned\n42,Montréal,true\n"));

        var errors = _workspace.Load(Churn("{ type: csv, path: data/accents.csv }")).Errors;

        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Count.EqualTo(1));
            Assert.That(errors[0].ToString(), Does.StartWith("pipeline.yaml:4:30: error: data.source.path: data/accents.csv is not valid UTF-8: line 1 (the header), column 1"));
            Assert.That(errors[0].Message, Does.Contain("encoding: latin1"));
        });
    }

    [Test]
    public void LoadFile_Utf8HeaderWithBom_Accepted()
    {
        WriteBytes("data/bom.csv", [.. new UTF8Encoding(true).GetPreamble(), .. Encoding.UTF8.GetBytes("âge,région,churned\n42,Montréal,true\n")]);

        var result = _workspace.Load(Churn("{ type: csv, path: data/bom.csv }"));

        Assert.That(result.Definition?.Spec.Data.KnownColumns, Is.EqualTo(new[] { "âge", "région", "churned" }), string.Join("\n", result.Errors));
    }

    private void WriteBytes(string relative, byte[] bytes)
    {
        var path = Path.Combine(_workspace.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
