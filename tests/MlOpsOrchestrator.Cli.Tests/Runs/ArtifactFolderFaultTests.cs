using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// The artifact folder cannot be written: the step fails saying which artifact could not be written where and what to
/// check, the terminal shows no stack trace (the log file has it), the run is failed (not stuck) with nothing
/// registered, and once the folder is fixed the same run resumes to the end. The folder is made unwritable in a way
/// that holds for root too (CI runs as root, where permissions do not stop a write): <c>artifacts</c> is a file.
/// </summary>
[TestFixture]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed partial class ArtifactFolderFaultTests
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
    public async Task TearDown()
    {
        if (_mounted is { } mount)
        {
            await CommandAsync("umount", mount);
            _mounted = null;
        }

        _session?.Dispose();
    }

    private string? _mounted;

    [Test]
    public async Task Run_ArtifactFolderCannotBeWritten_StepErrorNamesThePathAndTheFix_NoStackTraceOnTheTerminal()
    {
        Directory.CreateDirectory(_session.Home);
        var artifacts = Path.Combine(_session.Home, "artifacts");
        await File.WriteAllTextAsync(artifacts, "not a folder");

        int exit;
        string stderr;
        using (var mlops = MlopsProcess.Start(_session.Temp.Path, "run", "churn-export.yaml", "--home", _session.Home, "--data-root", _session.DataRoot))
        {
            exit = await mlops.WaitForExitAsync(TimeSpan.FromMinutes(3));
            stderr = mlops.Stderr;
        }

        var runId = RunLine().Match(stderr) is { Success: true } m ? m.Groups["id"].Value : throw new AssertionException($"no 'run ID:' line\n{stderr}");
        var run = await _session.ShowAsync(runId);
        var prep = Step(run, "prep");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), stderr);
            Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace frame on the terminal");
            Assert.That(stderr, Does.Not.Contain("Exception:"), "no .NET exception name on the terminal");
            Assert.That(stderr, Does.Contain($"cannot write the artifact 'runs/{runId}/prep/"));
            Assert.That(Status(run), Is.EqualTo("failed"), "failed, not stuck running");
            Assert.That(Status(prep), Is.EqualTo("failed"));
            Assert.That(Str(prep, "error"), Does.StartWith($"cannot write the artifact 'runs/{runId}/prep/"));
            Assert.That(Str(prep, "error"), Does.Contain($"{artifacts}{Path.DirectorySeparatorChar}runs{Path.DirectorySeparatorChar}{runId}"), "the path that could not be written");
            Assert.That(Str(prep, "error"), Does.Contain("MLOPS_HOME, or --home").And.Contain("resume"), "what to do");
            Assert.That(Str(prep, "error"), Does.Not.Contain("Exception"));
            Assert.That(Str(run, "error"), Does.StartWith("step 'prep' failed: cannot write the artifact"));
            Assert.That(ModelRef(run), Is.Null);
        });
        var noModel = await _session.RunAsync("models", "churn-export", "--json");
        Assert.That(noModel.ExitCode, Is.EqualTo(2), $"no model version is registered\n{noModel}");
        var logged = LogFile.Lines(Path.Combine(_session.Home, "logs"));
        Assert.That(logged, Has.Some.Contains("\"@x\":").And.Contains("   at ").And.Contains("FileArtifactStore"), "the stack trace is in the log file");

        // What the message says to do, done: the folder is fixed and the same run resumes to the end.
        File.Delete(artifacts);
        var (resumedResult, resumed) = await _session.JsonAsync(0, "resume", runId);
        Assert.Multiple(() =>
        {
            Assert.That(Status(resumed), Is.EqualTo("succeeded"), resumedResult.ToString());
            Assert.That(ModelRef(resumed)?["version"]?.GetValue<int>(), Is.EqualTo(1));
        });
    }

    /// <summary>
    /// The disk of the artifact folder is full: a 4 KiB file system mounted there (as root, which CI is; elsewhere the
    /// test is skipped, saying why). The step says so and what to check; nothing is registered; the run is failed.
    /// </summary>
    [Test]
    public async Task Run_ArtifactDiskFull_StepErrorSaysNoSpaceAndNamesThePath_NothingRegistered()
    {
        var artifacts = Path.Combine(_session.Home, "artifacts");
        Directory.CreateDirectory(artifacts);
        var (mounted, why) = await CommandAsync("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", artifacts);
        if (!mounted)
        {
            Assert.Ignore($"cannot mount a small file system here (needs root): {why}");
        }

        _mounted = artifacts;
        int exit;
        string stderr;
        using (var mlops = MlopsProcess.Start(_session.Temp.Path, "run", "churn-export.yaml", "--home", _session.Home, "--data-root", _session.DataRoot))
        {
            exit = await mlops.WaitForExitAsync(TimeSpan.FromMinutes(3));
            stderr = mlops.Stderr;
        }

        var runId = RunLine().Match(stderr) is { Success: true } m ? m.Groups["id"].Value : throw new AssertionException($"no 'run ID:' line\n{stderr}");
        var run = await _session.ShowAsync(runId);
        var failed = Steps(run).First(s => Status(s!) == "failed")!;
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), stderr);
            Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace frame on the terminal");
            Assert.That(Status(run), Is.EqualTo("failed"));
            Assert.That(Str(failed, "error"), Does.StartWith($"cannot write the artifact 'runs/{runId}/").And.Contain($"{artifacts}{Path.DirectorySeparatorChar}runs"));
            Assert.That(Str(failed, "error"), Does.Contain(": no space left on the device; check that the artifact folder"));
            Assert.That(ModelRef(run), Is.Null);
        });
        var noModel = await _session.RunAsync("models", "churn-export", "--json");
        Assert.That(noModel.ExitCode, Is.EqualTo(2), $"no model version is registered\n{noModel}");
    }

    private static async Task<(bool Succeeded, string Output)> CommandAsync(string command, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        args.ToList().ForEach(start.ArgumentList.Add);
        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode == 0, output.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (false, ex.Message);
        }
    }

    [GeneratedRegex(@"^run (?<id>[a-z0-9-]+):", RegexOptions.Multiline)]
    private static partial Regex RunLine();
}
