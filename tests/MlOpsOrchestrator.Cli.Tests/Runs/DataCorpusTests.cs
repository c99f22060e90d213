using System.Text;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// The corpus of malformed data files, each through the real <c>mlops run</c>: every kind either trains correctly
/// (the file is valid: a BOM, quoted separators, a declared encoding) or gives a short, clear error naming the row
/// and column (or the YAML line when the header already shows it), and leaves nothing partial behind: no model
/// version, no run left running. Each case has its own pipeline and model name in one shared home, so the registry
/// and run history of one case cannot hide another's leftovers.
/// </summary>
[TestFixture]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed class DataCorpusTests
{
    /// <summary>What any message about a file may cost the terminal, whatever the file holds.</summary>
    private const int MaxOutput = 16 * 1024;

    private const int Trains = 0;
    private const int FailsAtDataPrep = 1;
    private const int BadPipeline = 2;

    private static readonly Encoding Utf8 = new UTF8Encoding(false);
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    private CliSession _session = null!;
    private int _cases;

    public static IEnumerable<TestCaseData> Corpus()
    {
        yield return Case("valid export", Utf8.GetBytes(ChurnExport.Good()), Trains);
        yield return Case("UTF-8 byte order mark", [.. Encoding.UTF8.GetPreamble(), .. Utf8.GetBytes(ChurnExport.Good())], Trains);
        yield return Case(
            "quoted fields holding the separator",
            Utf8.GetBytes(ChurnExport.Csv(ChurnExport.GoodRows().Select(r => { r[1] = $"\"{r[1]}, monthly\""; return r; }))),
            Trains);
        yield return Case(
            "Latin-1 bytes declared as latin1",
            Encoding.Latin1.GetBytes(ChurnExport.Csv(WithAccents(ChurnExport.GoodRows()))),
            Trains,
            encoding: "latin1");
        yield return Case(
            "windows-1252 bytes declared as windows-1252",
            Windows1252.GetBytes(ChurnExport.Csv(WithAccents(ChurnExport.GoodRows()).Select(r => { r[1] += " €"; return r; }))),
            Trains,
            encoding: "windows-1252");
        yield return Case(
            "NaN in a float feature is a missing value",
            Utf8.GetBytes(ChurnExport.WithValue(7, 2, "NaN")),
            FailsAtDataPrep,
            "column 'monthly_charges': 1 missing value (row 7 (line 8)); set 'missing: drop'");
        yield return Case(
            "Infinity in a float feature",
            Utf8.GetBytes(ChurnExport.WithValue(7, 2, "Infinity")),
            FailsAtDataPrep,
            "row 7 (line 8), column 'monthly_charges': 'Infinity' is not a number");
        yield return Case(
            "NaN in the label",
            Utf8.GetBytes(ChurnExport.WithValue(5, 4, "NaN")),
            FailsAtDataPrep,
            "the label 'churned' has 1 missing value (row 5");
        yield return Case(
            "wrong separator",
            Utf8.GetBytes(ChurnExport.Good().Replace(',', ';')),
            BadPipeline,
            "the header reads as one column; the file looks separated by ';': set separator: \";\" on the source");
        yield return Case("empty file", [], FailsAtDataPrep, "customers.csv is empty");
        yield return Case("header only", Utf8.GetBytes(ChurnExport.Header + "\n"), FailsAtDataPrep, "customers.csv has no data rows");
        yield return Case(
            "duplicated header names",
            Utf8.GetBytes(ChurnExport.Csv(ChurnExport.GoodRows().Select(r => r.Append(r[1]).ToArray()), ChurnExport.Header + ",plan")),
            FailsAtDataPrep,
            "customers.csv: the header names 'plan' more than once");
        yield return Case(
            "label of one class, not the positive one",
            Utf8.GetBytes(ChurnExport.WithColumn(4, "no")),
            FailsAtDataPrep,
            "the positive class 'yes' never appears in the label 'churned'");
        yield return Case(
            "label of one class, the positive one",
            Utf8.GetBytes(ChurnExport.WithColumn(4, "yes")),
            FailsAtDataPrep,
            "the label 'churned' has only one class ('yes')");
        yield return Case(
            "label missing in every row",
            Utf8.GetBytes(ChurnExport.WithColumn(4, "")),
            FailsAtDataPrep,
            "column 'churned' has no values: it is missing in all 300 rows read");
        yield return Case(
            "a line of 20 MB",
            Utf8.GetBytes(ChurnExport.WithValue(9, 2, new string('9', 10_000_000) + "x" + new string('9', 10_000_000))),
            FailsAtDataPrep,
            "row 9 (line 10), column 'monthly_charges': '99999");
        yield return Case(
            "a file of one 50 MB line",
            Utf8.GetBytes(string.Join(',', Enumerable.Range(0, 5_000_000).Select(i => $"c{i}"))),
            BadPipeline,
            "column 'churned' does not exist in the data; valid: c0, c1");
        yield return Case(
            "Latin-1 bytes in a row of a UTF-8 file",
            [.. Utf8.GetBytes(ChurnExport.Good()), .. Encoding.Latin1.GetBytes("2025-02-01 00:00:00,privilège,20,1,no\n")],
            FailsAtDataPrep,
            $"row {ChurnExport.Rows + 1} (line {ChurnExport.Rows + 2}), column 'plan' has bytes that are not UTF-8 (read as 'privil\uFFFDge')");
        yield return Case(
            "Latin-1 bytes in the header",
            Encoding.Latin1.GetBytes(ChurnExport.Good().Replace("plan", "pl\u00e2n", StringComparison.Ordinal)),
            BadPipeline,
            "exports/customers.csv is not valid UTF-8: line 1 (the header), column 2");
        yield return Case(
            "an encoding the bytes are not in",
            Utf8.GetBytes(ChurnExport.Good()),
            BadPipeline,
            "data.source.encoding: unknown value 'ascii'; valid: utf-8, latin1, iso-8859-1, windows-1252",
            encoding: "ascii");
    }

    [OneTimeSetUp]
    public async Task OpenSession() => _session = await CliSession.OpenAsync(StorageEngine.Sqlite);

    [OneTimeTearDown]
    public void CloseSession() => _session?.Dispose();

    [TestCaseSource(nameof(Corpus))]
    public async Task Run_DataFile_TrainsWhenValid_ElseAClearBoundedErrorAndNothingLeft(byte[] file, int exit, string? expected, string? encoding)
    {
        var name = $"corpus-{++_cases}";
        var pipeline = _session.Temp.Write($"{name}.yaml", Pipeline(name, encoding));
        var data = _session.Temp.Combine(name, "exports", "customers.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        await File.WriteAllBytesAsync(data, file);

        var result = await _session.RunAsync("run", pipeline, "--json");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(exit), Short(result.ToString()));
            Assert.That(result.Stdout.Length + result.Stderr.Length, Is.LessThan(MaxOutput), "the output is bounded: " + Short(result.ToString()));
        });
        if (exit == BadPipeline)
        {
            Assert.That(result.Stderr, Does.Contain(expected), Short(result.ToString()));
        }
        else
        {
            var run = CliSession.ParseJson(result);
            if (exit == Trains)
            {
                Assert.That(Status(run), Is.EqualTo("succeeded"), Short(result.ToString()));
                Assert.That(ModelRef(run)?["version"]?.GetValue<int>(), Is.EqualTo(1));
                return;
            }

            AssertFailedAtPrep(run, result, expected!);
        }

        await AssertNothingLeftAsync(name);
    }

    private static string Pipeline(string name, string? encoding)
    {
        var source = encoding is null
            ? "  source: { type: csv, path: exports/customers.csv }"
            : $"  source: {{ type: csv, path: exports/customers.csv, encoding: {encoding} }}";
        return ChurnExport.Pipeline
            .Replace("name: churn-export", $"name: {name}", StringComparison.Ordinal)
            .Replace("  source: { type: csv, path: exports/customers.csv }", source, StringComparison.Ordinal)
            .Replace("path: exports/", $"path: {name}/exports/", StringComparison.Ordinal);
    }

    private static void AssertFailedAtPrep(JsonNode run, CliResult result, string expected)
    {
        var prep = Step(run, "prep");
        Assert.Multiple(() =>
        {
            Assert.That(Status(run), Is.EqualTo("failed"), Short(result.ToString()));
            Assert.That(Status(prep), Is.EqualTo("failed"));
            Assert.That(Str(prep, "error"), Does.StartWith("the data has ").And.Contain(expected), Short(result.ToString()));
            Assert.That(ModelRef(run), Is.Null);
            Assert.That(Steps(run).Where(s => Str(s, "id") != "prep").Select(s => Status(s!)), Is.All.EqualTo("skipped"));
        });
    }

    /// <summary>No model under the pipeline's name, and no run of it still pending or running.</summary>
    private async Task AssertNothingLeftAsync(string name)
    {
        var models = await _session.RunAsync("models", name, "--json");
        var (_, runs) = await _session.JsonAsync(0, "runs", name, "--limit", "1000");
        Assert.Multiple(() =>
        {
            Assert.That(models.ExitCode, Is.EqualTo(2), $"no model is registered\n{models}");
            Assert.That(runs.AsArray().Select(r => Status(r!)), Is.All.EqualTo("failed"), runs.ToJsonString());
        });
    }

    /// <summary>Accented plan names, as a French export would spell them.</summary>
    private static IEnumerable<string[]> WithAccents(IEnumerable<string[]> rows) =>
        rows.Select(r => { r[1] = r[1] switch { "basic" => "basique", "plus" => "privilège", _ => "entreprise élevée" }; return r; });

    private static string Short(string text) => text.Length <= 4000 ? text : text[..4000] + $"… ({text.Length - 4000} more characters)";

    private static TestCaseData Case(string name, byte[] file, int exit, string? expected = null, string? encoding = null) =>
        new TestCaseData(file, exit, expected, encoding).SetArgDisplayNames(name);
}
