using System.Text.Json;
using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Validation;

/// <summary>
/// <c>mlops validate</c> over the invalid corpus (<c>Pipelines/invalid/</c>): every file holds one mistake people really
/// make, and its header says the exact <c>line:col path: message</c> the validator must print for it, and nothing else.
/// </summary>
[TestFixture]
[NonParallelizable] // Corpus files that use ${env:...} run with those variables removed from the process environment.
public sealed class InvalidCorpusTests
{
    public static IEnumerable<TestCaseData> CorpusFiles() =>
        InvalidCorpus.Names().Select(name => new TestCaseData(name).SetArgDisplayNames(name));

    [TestCaseSource(nameof(CorpusFiles))]
    public async Task Validate_InvalidFile_ReportsExactlyTheExpectedErrors(string name)
    {
        var file = InvalidCorpus.Load(name);
        using var environment = EnvironmentScope.Without(file.EnvironmentVariables);

        var result = await CliRun.RunAsync("validate", file.FullPath, "--data-root", InvalidCorpus.Folder);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(InvalidCorpus.ErrorLines(result.StdoutLines, file.FullPath), Is.EqualTo(file.Expected), $"{name}.yaml: {file.Mistake}");
            Assert.That(result.Stderr, Does.StartWith($"{file.Expected.Count} error(s) in 1 of 1 file(s)"));
        }
    }

    [Test]
    public async Task ValidateJson_VersionTwo_ReportsFileLineColumnPathAndMessage()
    {
        var file = InvalidCorpus.Load("version-2");

        var result = await CliRun.RunAsync("validate", file.FullPath, "--json", "--data-root", InvalidCorpus.Folder);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.That(json.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(json.RootElement.GetArrayLength(), Is.EqualTo(1));
        var error = json.RootElement[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.GetProperty("file").GetString(), Is.EqualTo(file.FullPath));
            Assert.That(error.GetProperty("line").GetInt32(), Is.EqualTo(4));
            Assert.That(error.GetProperty("column").GetInt32(), Is.EqualTo(10));
            Assert.That(error.GetProperty("path").GetString(), Is.EqualTo("version"));
            Assert.That(error.GetProperty("message").GetString(), Is.EqualTo("version 2 is not supported; this is the version 1 format (write 'version: 1')"));
        }
    }

    [TestCase("three-mistakes")]
    [TestCase("empty-file")]
    [TestCase("path-escapes-data-root")]
    [TestCase("unknown-key-neds")]
    public async Task ValidateJson_InvalidFile_ReportsTheSameErrorsAsText(string name)
    {
        var file = InvalidCorpus.Load(name);

        var result = await CliRun.RunAsync("validate", file.FullPath, "--json", "--data-root", InvalidCorpus.Folder);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var errors = json.RootElement.EnumerateArray().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Select(e => e.GetProperty("file").GetString()), Is.All.EqualTo(file.FullPath));
            Assert.That(errors.Select(AsCorpusLine), Is.EqualTo(file.Expected));
        }
    }

    [Test]
    public void Corpus_HasEnoughFiles_EachWithOneMistakeAndAWellFormedHeader()
    {
        var files = InvalidCorpus.Names().Select(InvalidCorpus.Load).ToList();

        Assert.That(files, Has.Count.GreaterThanOrEqualTo(45));
        using (Assert.EnterMultipleScope())
        {
            foreach (var file in files)
            {
                Assert.That(file.Name, Does.Match("^[a-z0-9]+(-[a-z0-9]+)*$"), "file names are descriptive kebab-case");
                Assert.That(file.Mistake, Is.Not.Empty, file.Name);
                Assert.That(file.Schema, Is.EqualTo("rejects").Or.EqualTo("accepts"), file.Name);
                Assert.That(file.Expected, Has.Count.EqualTo(file.Name == "three-mistakes" ? 3 : 1), file.Name);
                Assert.That(file.Expected, Has.All.Match(@"^\d+:\d+ "), file.Name);
            }
        }
    }


    /// <summary>A JSON error written as a corpus expectation line.</summary>
    private static string AsCorpusLine(JsonElement error)
    {
        var path = error.GetProperty("path").GetString();
        var where = $"{error.GetProperty("line").GetInt32()}:{error.GetProperty("column").GetInt32()}";
        var message = error.GetProperty("message").GetString();
        return InvalidCorpus.Relative(string.IsNullOrEmpty(path) ? $"{where} {message}" : $"{where} {path}: {message}");
    }
}
