using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// What <c>mlops run</c> prints on the terminal while its run goes, in a real process (the console log is the process's
/// own stderr): each step's end once, as its progress line, and the run id said once for a command about one run. The
/// log file keeps every event, the stack trace of a step that threw included.
/// </summary>
[TestFixture]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed partial class RunConsoleTests
{
    private CliSession _session = null!;

    [SetUp]
    public async Task SetUp()
    {
        _session = await CliSession.OpenAsync(StorageEngine.Sqlite);
        _session.Temp.Write("churn-export.yaml", ChurnExport.Pipeline);
        _session.Temp.Write("exports/customers.csv", ChurnExport.Good());
    }

    [TearDown]
    public void TearDown() => _session?.Dispose();

    [Test]
    public async Task Run_StepThrows_ItsEndIsOneProgressLine_RunIdNotRepeated_LogFileKeepsTheEvent()
    {
        Directory.CreateDirectory(_session.Home);
        await File.WriteAllTextAsync(Path.Combine(_session.Home, "artifacts"), "not a folder");

        var (exit, stderr) = await RunAsync();

        var runId = RunLine().Match(stderr) is { Success: true } m ? m.Groups["id"].Value : throw new AssertionException($"no 'run ID:' line\n{stderr}");
        var lines = stderr.Split('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(1), stderr);
            Assert.That(lines.Count(l => l.Contains("cannot write the artifact", StringComparison.Ordinal)), Is.EqualTo(1), $"the failure once\n{stderr}");
            Assert.That(lines.Count(l => l.StartsWith("[prep] failed in ", StringComparison.Ordinal)), Is.EqualTo(1), stderr);
            Assert.That(lines.Count(l => l.Contains($"run {runId}", StringComparison.Ordinal)), Is.EqualTo(1), $"the run id said once, on the first line\n{stderr}");
        }

        var logged = LogFile.Lines(Path.Combine(_session.Home, "logs"));
        Assert.That(logged, Has.Some.Contains("threw").And.Contains(runId).And.Contains("   at "), "the log file keeps the event and its stack trace");
        Assert.That(logged.Where(l => l.Contains("threw", StringComparison.Ordinal) && l.Contains(runId, StringComparison.Ordinal)), Has.All.Contains("\"@l\":\"Error\""), "a step that threw is logged at Error");
    }

    [Test]
    public async Task Run_Succeeds_EachStepEndsOnce()
    {
        var (exit, stderr) = await RunAsync();

        var lines = stderr.Split('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(0), stderr);
            foreach (var step in new[] { "prep", "train", "evaluate", "deploy" })
            {
                Assert.That(lines.Count(l => l.StartsWith($"[{step}] succeeded in ", StringComparison.Ordinal)), Is.EqualTo(1), $"{step}\n{stderr}");
            }
        }
    }

    private async Task<(int Exit, string Stderr)> RunAsync()
    {
        using var mlops = MlopsProcess.Start(_session.Temp.Path, "run", "churn-export.yaml", "--home", _session.Home, "--data-root", _session.DataRoot);
        var exit = await mlops.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return (exit, mlops.Stderr);
    }

    [GeneratedRegex(@"^run (?<id>[a-z0-9-]+):", RegexOptions.Multiline)]
    private static partial Regex RunLine();
}
