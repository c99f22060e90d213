using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// What a person sees when <c>mlops</c> meets a file it cannot write outside a step: one line on stderr that names
/// the path, exit 1, and no stack trace (that goes to the log file). Real processes, as the terminal shows them.
/// </summary>
[TestFixture]
public sealed class TerminalErrorTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TempFolder();

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public async Task Runs_HomeIsAFile_OneLineNamingTheHomeAndTheFix_NoStackTrace()
    {
        var home = _folder.Write("home", "not a folder");

        var (exit, stderr) = await RunAsync("runs", "--home", home);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), stderr);
            Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace frame");
            Assert.That(stderr, Does.StartWith("error: ").And.Contain(home).And.Contain("check that MLOPS_HOME (or --home) is a folder this process can write to"));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), "one line");
        });
    }

    [Test]
    public async Task SampleData_OutputFolderIsAFile_UnexpectedFailureIsOneLine_StackTraceInTheLogFile()
    {
        var file = _folder.Write("exports", "not a folder");

        var (exit, stderr) = await RunAsync("sample-data", "customer-churn", "--rows", "10", "--out", Path.Combine(file, "customers.csv"));

        var logs = Path.Combine(_folder.Path, ".mlops", "logs");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), stderr);
            Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace frame");
            Assert.That(stderr, Does.StartWith("error: ").And.Contain(file).And.Contain($"the details are in {logs}"));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), "one line");
            Assert.That(LogFile.Lines(logs), Has.Some.Contains("\"@x\":").And.Contains("   at "), "the stack trace is in the log file");
        });
    }

    private async Task<(int Exit, string Stderr)> RunAsync(params string[] args)
    {
        using var mlops = MlopsProcess.Start(_folder.Path, args);
        var exit = await mlops.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (exit, mlops.Stderr);
    }
}
