using System.Diagnostics;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Commands;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// Cancel reaches the process executing a run: <c>mlops run</c> trains in one process, <c>mlops cancel</c> in another
/// records the request in the shared storage, and the executing process stops its training step at the next check,
/// ends the run <c>cancelled</c> with who and why, and deploys nothing. <c>mlops retry</c> then runs it again as a new
/// run linked to it, carrying over the step that succeeded.
/// </summary>
[TestFixture]
[Category("faults")] // with the fault suite: a real process acted on mid-step
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed partial class CancelRunningRunTests
{
    private const string Model = "bike-overnight";

    private const string Pipeline = """
        version: 1
        name: bike-overnight
        data:
          source: { type: csv, path: data/bike-rentals.csv }
          timestamp: ts
          label: rentals
          schema:
            humidity: { type: float, missing: mean }
            note: { type: text }
        steps:
          - { id: prep, kind: data_prep, checks: { min_rows: 1000 } }
          - id: train
            kind: train
            needs: prep
            task: regression
            trainer: fast_tree
            options: { number_of_trees: 200, number_of_leaves: 31 }
          - { id: deploy, kind: deploy, needs: train }

        """;

    private CliSession _session = null!;

    [SetUp]
    public async Task SetUp()
    {
        _session = await CliSession.OpenAsync(StorageEngine.Sqlite);
        var data = _session.Temp.Combine("data", "bike-rentals.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        var generated = await CliRun.RunAsync("sample-data", "bike-rentals", "--rows", "100000", "--out", data);
        Assert.That(generated.ExitCode, Is.EqualTo(0), generated.ToString());
        _session.Temp.Write("pipeline.yaml", Pipeline);
    }

    [TearDown]
    public void TearDown() => _session?.Dispose();

    [Test]
    public async Task CancelDuringTraining_TheExecutingProcessStopsTheStep_RunEndsCancelled_RetryCarriesPrepOver()
    {
        string runId;
        var clock = Stopwatch.StartNew();
        using (var mlops = MlopsProcess.Start(_session.Temp.Path, "run", "pipeline.yaml", "--home", _session.Home, "--data-root", _session.DataRoot))
        {
            await mlops.WaitForStderrAsync("[train] started", TimeSpan.FromSeconds(90));
            Assert.That(mlops.HasExited, Is.False, $"mlops finished before it could be cancelled; make training longer\n{mlops.Stderr}");
            runId = RunLine().Match(mlops.Stderr) is { Success: true } m
                ? m.Groups["id"].Value
                : throw new AssertionException($"no 'run ID:' line on stderr\n{mlops.Stderr}");

            var cancel = await _session.RunAsync("cancel", runId, "--reason", "wrong data");
            Assert.That(cancel.ExitCode, Is.EqualTo(0), cancel.ToString());
            Assert.That(cancel.Stderr, Does.Contain("cancel requested"), cancel.ToString());
            var requested = clock.Elapsed;
            var exit = await mlops.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await TestContext.Out.WriteLineAsync($"the run process ended {(clock.Elapsed - requested).TotalSeconds:0.0} s after the cancel request");
            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.Not.EqualTo(0), mlops.Stderr);
                Assert.That(mlops.Stderr, Does.Not.Contain("[train] succeeded"), "training was stopped, not finished");
                Assert.That(mlops.Stderr, Does.Not.Contain("[deploy] started"));
            });
        }

        var cancelled = await _session.ShowAsync(runId);
        var by = CliUser.Name;
        Assert.Multiple(() =>
        {
            Assert.That(Status(cancelled), Is.EqualTo("cancelled"), cancelled.ToJsonString());
            Assert.That(Str(cancelled, "error"), Is.EqualTo($"cancelled by {by}: wrong data"));
            Assert.That(Str(cancelled["cancelRequest"], "by"), Is.EqualTo(by));
            Assert.That(Status(Step(cancelled, "prep")), Is.EqualTo("succeeded"));
            Assert.That(Status(Step(cancelled, "train")), Is.EqualTo("cancelled"));
            Assert.That(Str(Step(cancelled, "train"), "error"), Is.EqualTo($"cancelled by {by}: wrong data"));
            Assert.That(Status(Step(cancelled, "deploy")), Is.EqualTo("skipped"));
            Assert.That(ModelRef(cancelled), Is.Null);
        });

        var again = await _session.RunAsync("cancel", runId);
        Assert.Multiple(() =>
        {
            Assert.That(again.ExitCode, Is.EqualTo(2), again.ToString());
            Assert.That(again.Stderr, Does.Contain("has already ended cancelled"));
        });

        var (retryResult, retried) = await _session.JsonAsync(0, "retry", runId);
        var prepBefore = Step(cancelled, "prep");
        Assert.Multiple(() =>
        {
            Assert.That(Status(retried), Is.EqualTo("succeeded"), retryResult.ToString());
            Assert.That(RunId(retried), Is.Not.EqualTo(runId), "a new run");
            Assert.That(Str(retried, "retryOf"), Is.EqualTo(runId));
            Assert.That(Str(retried, "requestedBy"), Is.EqualTo(by));
            Assert.That(Time(Step(retried, "prep"), "finishedAt"), Is.EqualTo(Time(prepBefore, "finishedAt")), "prep carried over, not redone");
            Assert.That(retryResult.Stderr, Does.Not.Contain("[prep] started"));
            Assert.That(retryResult.Stderr, Does.Contain("[train] started"));
            Assert.That(ModelRef(retried)?["version"]?.GetValue<int>(), Is.EqualTo(1));
        });
        Assert.That(Status(await _session.ShowAsync(runId)), Is.EqualTo("cancelled"), "the original run keeps its history");
    }

    [GeneratedRegex(@"^run (?<id>\S+): ", RegexOptions.Multiline)]
    private static partial Regex RunLine();
}
