using System.Text.Json;
using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Validation;

/// <summary>
/// <c>mlops validate</c> beyond single files: folders, several files, bad arguments, values from the environment and
/// data paths that leave the data root through a symbolic link.
/// </summary>
[TestFixture]
[NonParallelizable] // Some tests set process environment variables.
public sealed class ValidateCommandTests
{
    private const string ValidPipeline = """
        version: 1
        name: bike-rides
        description: Hourly rides per station; retrained every night.

        data:
          source:
            type: csv
            path: data/rides.csv
          timestamp: ts
          label: count
          schema:
            ts:      { type: datetime }
            station: { type: categorical }

        triggers:
          - id: nightly
            cron: "0 0 2 * * ?"

        steps:
          - id: prep
            kind: data_prep
            checks: { min_rows: 3 }
          - id: train
            kind: train
            needs: [prep]
            task: regression
            trainer: fast_tree
          - id: evaluate
            kind: evaluate
            needs: [train]
            gates:
              r_squared: { min: 0.6 }
          - id: deploy
            kind: deploy
            needs: [evaluate]

        """;

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        Directory.CreateDirectory(_temp.Combine("data"));
        File.Copy(Path.Combine(InvalidCorpus.Folder, "data", "rides.csv"), _temp.Combine("data", "rides.csv"));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task Validate_ValidFile_ExitsZeroAndPrintsNothingOnStdout()
    {
        var file = _temp.Write("bike-rides.yaml", ValidPipeline);

        var result = await Validate(file);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
            Assert.That(result.Stdout, Is.Empty);
        }
    }

    [Test]
    public async Task Validate_FolderWithAValidAndAnInvalidFile_ReportsOnlyTheInvalidOne()
    {
        _temp.Write("pipelines/bike-rides.yaml", ValidPipeline);
        var invalid = _temp.Write("pipelines/bike-rides-v2.yaml", ValidPipeline.Replace("version: 1", "version: 2").Replace("name: bike-rides", "name: bike-rides-next"));
        _temp.Write("pipelines/README.md", "not a pipeline");
        Directory.CreateDirectory(_temp.Combine("pipelines", "data"));
        File.Copy(_temp.Combine("data", "rides.csv"), _temp.Combine("pipelines", "data", "rides.csv"));

        var result = await Validate(_temp.Combine("pipelines"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(result.StdoutLines, Is.EqualTo(new[]
            {
                $"{invalid}:1:10: error: version: version 2 is not supported; this is the version 1 format (write 'version: 1')",
            }));
            Assert.That(result.Stderr, Does.Contain("1 error(s) in 1 of 2 file(s)"));
        }
    }

    [Test]
    public async Task Validate_TwoFilesWithTheSameName_ReportsTheSecond()
    {
        var first = _temp.Write("a-nightly.yaml", ValidPipeline);
        var second = _temp.Write("b-copy.yaml", ValidPipeline.Replace("description: Hourly", "description: A copy of the hourly"));

        var result = await Validate(first, second);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(result.StdoutLines, Is.EqualTo(new[]
            {
                $"{second}:2:7: error: name: pipeline name 'bike-rides' is already used by {first}; names must be unique among loaded pipelines",
            }));
        }
    }

    [Test]
    public async Task Validate_MissingPath_ExitsTwoWithTheMessageOnStderr()
    {
        var missing = _temp.Combine("no-such-pipeline.yaml");

        var result = await Validate(missing);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.Stderr, Does.Contain($"error: '{missing}' does not exist"));
        }
    }

    [Test]
    public async Task Validate_MissingPathBesideAValidFile_ExitsTwo()
    {
        var valid = _temp.Write("bike-rides.yaml", ValidPipeline);
        var missing = _temp.Combine("bike-ride.yaml");

        var result = await Validate(valid, missing);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.Stderr, Does.Contain($"error: '{missing}' does not exist"));
        }
    }

    [Test]
    public async Task Validate_NoPath_ExitsTwoWithUsageOnStderr()
    {
        var result = await CliRun.RunAsync("validate");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.Stderr, Does.StartWith("error: "));
        }
    }

    [Test]
    public async Task Validate_UnknownOption_ExitsTwoAndNamesTheOption()
    {
        var valid = _temp.Write("bike-rides.yaml", ValidPipeline);

        var result = await CliRun.RunAsync("validate", valid, "--data-root", _temp.Path, "--strict");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.Stderr, Does.Contain("'--strict'"));
        }
    }

    [Test]
    public async Task Validate_UnknownOption_IsReportedAsAnOptionAndNotAsAMissingFile()
    {
        var valid = _temp.Write("bike-rides.yaml", ValidPipeline);

        var result = await CliRun.RunAsync("validate", valid, "--data-root", _temp.Path, "--strict");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(result.Stderr, Does.Contain("'--strict'"));
            Assert.That(result.Stderr, Does.Not.Contain("does not exist"));
        }
    }

    [Test]
    public async Task Validate_UnknownCommand_ExitsTwo()
    {
        var result = await CliRun.RunAsync("validat", "bike-rides.yaml");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.Stderr, Does.Contain("validat"));
        }
    }

    [Test]
    public async Task Validate_InvalidCronFromTheEnvironment_NeverPrintsTheValueOrPartsOfIt()
    {
        var variable = UniqueVariable("CRON");
        const string value = "47 13 * * 1";
        const string part = "47 13";
        var file = _temp.Write("bike-rides.yaml", ValidPipeline.Replace("cron: \"0 0 2 * * ?\"", $"cron: ${{env:{variable}}}"));
        using var environment = EnvironmentScope.Set((variable, value));

        var text = await Validate(file);
        var json = await Validate(file, "--json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.ExitCode, Is.EqualTo(ExitCodes.BadInput), text.ToString());
            Assert.That(text.StdoutLines, Has.Count.EqualTo(1));
            Assert.That(text.StdoutLines, Has.All.StartWith($"{file}:17:11: error: triggers[0].cron: "));
            Assert.That(text.StdoutLines, Has.All.Contain($"${{env:{variable}}}"), "the message says where the value came from");
            Assert.That(text.Stdout + text.Stderr, Does.Not.Contain(part));
            Assert.That(json.Stdout + json.Stderr, Does.Not.Contain(part));
        }
    }

    [Test]
    public async Task Validate_WrongTypeFromTheEnvironment_NeverPrintsTheValue()
    {
        var variable = UniqueVariable("MIN_ROWS");
        const string value = "plenty-of-rows-4711";
        // Block style: in a flow mapping ('{ min_rows: ${env:X} }') the braces of the reference end the mapping.
        var file = _temp.Write("bike-rides.yaml", ValidPipeline.Replace("checks: { min_rows: 3 }", $"checks:\n      min_rows: ${{env:{variable}}}"));
        using var environment = EnvironmentScope.Set((variable, value));

        var text = await Validate(file);
        var json = await Validate(file, "--json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.ExitCode, Is.EqualTo(ExitCodes.BadInput), text.ToString());
            Assert.That(text.StdoutLines, Is.EqualTo(new[]
            {
                $"{file}:23:17: error: steps[0].checks.min_rows: expected a whole number, got '(value of ${{env:{variable}}})'",
            }));
            Assert.That(text.Stdout + text.Stderr, Does.Not.Contain(value));
            Assert.That(json.Stdout + json.Stderr, Does.Not.Contain(value));
        }
    }

    [Test]
    public async Task Validate_MissingFileWhosePathComesFromTheEnvironment_NeverPrintsTheValue()
    {
        var variable = UniqueVariable("EXPORTS");
        const string value = "exports-of-the-finance-team";
        var file = _temp.Write("bike-rides.yaml", ValidPipeline.Replace("path: data/rides.csv", $"path: ${{env:{variable}}}/rides.csv"));
        using var environment = EnvironmentScope.Set((variable, value));

        var text = await Validate(file);
        var json = await Validate(file, "--json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.ExitCode, Is.EqualTo(ExitCodes.BadInput), text.ToString());
            Assert.That(text.StdoutLines, Has.Count.EqualTo(1));
            Assert.That(text.StdoutLines, Has.All.StartWith($"{file}:8:11: error: data.source.path: "));
            Assert.That(text.Stdout + text.Stderr, Does.Not.Contain(value));
            Assert.That(json.Stdout + json.Stderr, Does.Not.Contain(value));
        }
    }

    [Test]
    public async Task Validate_ValueFromTheEnvironment_IsUsed()
    {
        var variable = UniqueVariable("CRON");
        var file = _temp.Write("bike-rides.yaml", ValidPipeline.Replace("cron: \"0 0 2 * * ?\"", $"cron: ${{env:{variable}}}"));
        using var environment = EnvironmentScope.Set((variable, "0 30 1 * * ?"));

        var result = await Validate(file);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
    }

    [TestCase("data/rides.csv", "data/rides.csv", TestName = "Validate_CsvPathIsASymbolicLinkToAFileOutsideTheDataRoot_ReportsIt")]
    [TestCase("data", "data/rides.csv", TestName = "Validate_CsvFolderIsASymbolicLinkToAFolderOutsideTheDataRoot_ReportsIt")]
    public async Task Validate_SymbolicLinkOutOfTheDataRoot_ReportsIt(string link, string csvPath)
    {
        var root = _temp.Combine("root");
        var outside = _temp.Combine("elsewhere");
        Directory.CreateDirectory(Path.Combine(root, "data"));
        Directory.CreateDirectory(outside);
        File.Copy(_temp.Combine("data", "rides.csv"), Path.Combine(outside, "rides.csv"));
        var linkPath = Path.Combine(root, link);
        if (link == "data")
        {
            Directory.Delete(linkPath);
            CreateSymbolicLink(() => Directory.CreateSymbolicLink(linkPath, outside));
        }
        else
        {
            CreateSymbolicLink(() => File.CreateSymbolicLink(linkPath, Path.Combine(outside, "rides.csv")));
        }

        var file = Path.Combine(root, "bike-rides.yaml");
        await File.WriteAllTextAsync(file, ValidPipeline.Replace("path: data/rides.csv", $"path: {csvPath}"));

        var result = await CliRun.RunAsync("validate", file, "--data-root", root);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
            Assert.That(result.StdoutLines, Is.EqualTo(new[]
            {
                $"{file}:8:11: error: data.source.path: path '{csvPath}' is a symbolic link to '{Path.Combine(outside, "rides.csv")}', outside the data root '{root}'",
            }));
        }
    }

    [Test]
    public async Task Validate_SymbolicLinkInsideTheDataRoot_IsAccepted()
    {
        var root = _temp.Path;
        File.Move(_temp.Combine("data", "rides.csv"), _temp.Combine("data", "rides-2024.csv"));
        CreateSymbolicLink(() => File.CreateSymbolicLink(_temp.Combine("data", "rides.csv"), _temp.Combine("data", "rides-2024.csv")));
        var file = _temp.Write("bike-rides.yaml", ValidPipeline);

        var result = await CliRun.RunAsync("validate", file, "--data-root", root);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
    }

    private Task<CliResult> Validate(params string[] paths) =>
        CliRun.RunAsync(["validate", .. paths, "--data-root", _temp.Path]);

    private static string UniqueVariable(string what) => $"MLOPS_TEST_{what}_{Guid.NewGuid():N}".ToUpperInvariant();

    /// <summary>Symbolic links need a privilege on some Windows machines; without it the test has nothing to check.</summary>
    private static void CreateSymbolicLink(Func<FileSystemInfo> create)
    {
        try
        {
            create();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Assert.Ignore($"cannot create a symbolic link here: {ex.Message}");
        }
    }
}
