using System.Diagnostics;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// Acceptance: "Killing <c>mlops run</c> during training leaves the run <c>interrupted</c>; <c>mlops resume</c> finishes
/// it without redoing the finished steps and without a second model version." The run is a real <c>mlops</c> process,
/// killed (the whole process tree, as <c>kill -9</c> would) as soon as its training step reports that it started; the
/// commands after it run in this process against the same home, as a user would run them in the next shell.
/// </summary>
[TestFixture]
[Category("faults")] // with the fault suite of the integration tests: a real process killed mid-step
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed partial class InterruptedRunTests
{
    private const string Model = "bike-overnight";

    /// <summary>
    /// 100,000 generated rows and 200 trees: data_prep takes a second or two, training several seconds on a small
    /// machine, so the kill lands inside training and the resume stays short.
    /// </summary>
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
    public async Task KillDuringTraining_LeavesInterrupted_ResumeFinishesWithoutRedoingPrepOrASecondVersion()
    {
        var clock = Stopwatch.StartNew();
        string runId;
        using (var mlops = MlopsProcess.Start(_session.Temp.Path, "run", "pipeline.yaml", "--home", _session.Home, "--data-root", _session.DataRoot))
        {
            await mlops.WaitForStderrAsync("[train] started", TimeSpan.FromSeconds(90));
            Assert.That(mlops.HasExited, Is.False, $"mlops finished before it could be killed; make training longer\n{mlops.Stderr}");
            await mlops.KillAsync();
            runId = RunLine().Match(mlops.Stderr) is { Success: true } m
                ? m.Groups["id"].Value
                : throw new AssertionException($"no 'run ID:' line on stderr\n{mlops.Stderr}");
            Assert.That(mlops.Stderr, Does.Not.Contain("[train] succeeded"), "the kill landed inside training");
        }

        await TestContext.Out.WriteLineAsync($"killed during training after {clock.Elapsed.TotalSeconds:0.0} s");

        // The owner process is gone: the run is interrupted at once (no 30 s heartbeat wait), its train step too.
        var interrupted = await _session.ShowAsync(runId);
        var prepBefore = Step(interrupted, "prep");
        Assert.Multiple(() =>
        {
            Assert.That(Status(interrupted), Is.EqualTo("interrupted"), interrupted.ToJsonString());
            Assert.That(Status(prepBefore), Is.EqualTo("succeeded"));
            Assert.That(Attempts(prepBefore), Is.EqualTo(1));
            Assert.That(Status(Step(interrupted, "train")), Is.EqualTo("interrupted"));
            Assert.That(Attempts(Step(interrupted, "train")), Is.EqualTo(1));
            Assert.That(Status(Step(interrupted, "deploy")), Is.EqualTo("pending"));
            Assert.That(ModelRef(interrupted), Is.Null);
        });
        var text = await _session.RunAsync("show", runId);
        Assert.That(text.Stdout, Does.Contain($"continue with: mlops resume {runId}"), text.ToString());
        var (_, listed) = await _session.JsonAsync(0, "runs");
        Assert.That(Status(listed[0]!), Is.EqualTo("interrupted"), "runs shows the same status as show");
        var noModel = await _session.RunAsync("models", Model, "--json");
        Assert.That(noModel.ExitCode, Is.EqualTo(2), $"nothing was registered before the kill\n{noModel}");

        // resume continues after the last finished step.
        var (resumedResult, resumed) = await _session.JsonAsync(0, "resume", runId);
        await TestContext.Out.WriteLineAsync($"resumed and finished after {clock.Elapsed.TotalSeconds:0.0} s");
        var prep = Step(resumed, "prep");
        Assert.Multiple(() =>
        {
            Assert.That(Status(resumed), Is.EqualTo("succeeded"), resumedResult.ToString());
            Assert.That(Steps(resumed).Select(s => Status(s!)), Is.All.EqualTo("succeeded"));
            Assert.That(Attempts(prep), Is.EqualTo(1), "data_prep is not redone");
            Assert.That(Time(prep, "finishedAt"), Is.EqualTo(Time(prepBefore, "finishedAt")), "data_prep's record is the one from before the kill");
            Assert.That(Strings(prep, "artifacts"), Is.EqualTo(Strings(prepBefore, "artifacts")));
            Assert.That(resumedResult.Stderr, Does.Not.Contain("[prep] started"));
            Assert.That(resumedResult.Stderr, Does.Contain("[train] started (train, attempt 2)"));
            Assert.That(Attempts(Step(resumed, "train")), Is.EqualTo(2));
            Assert.That(Attempts(Step(resumed, "deploy")), Is.EqualTo(1));
            Assert.That(Str(resumed, "runId"), Is.EqualTo(runId), "the same run, not a new one");
            Assert.That(ModelRef(resumed)?["version"]?.GetValue<int>(), Is.EqualTo(1));
        });

        var models = await _session.ModelsAsync(Model);
        var (_, runs) = await _session.JsonAsync(0, "runs");
        var again = await _session.RunAsync("resume", runId);
        Assert.Multiple(() =>
        {
            Assert.That(Versions(models), Is.EqualTo(new[] { 1 }), "exactly one model version");
            Assert.That(Str(models["versions"]![0], "runId"), Is.EqualTo(runId));
            Assert.That(Alias(models, "production"), Is.EqualTo(1));
            Assert.That(runs.AsArray().Select(r => RunId(r!)), Is.EqualTo(new[] { runId }), "resume made no second run");
            Assert.That(again.ExitCode, Is.EqualTo(2), again.ToString());
            Assert.That(again.Stderr, Does.Contain("only an interrupted or failed run can be resumed"));
        });
    }

    [GeneratedRegex(@"^run (?<id>\S+): ", RegexOptions.Multiline)]
    private static partial Regex RunLine();
}
