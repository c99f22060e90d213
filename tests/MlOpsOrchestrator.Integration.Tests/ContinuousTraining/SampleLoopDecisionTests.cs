using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.ContinuousTraining;

/// <summary>
/// The continuous-training sample as a new user runs it by hand on the embedded default: a full run, then a day of
/// rows fed and an incremental run, several times, with a drift in the fed rows. The loop may keep a candidate back,
/// but what becomes production must never be a model that explains nothing (r_squared &lt;= 0), must be judged on
/// enough rows, and must never be worse on those rows than the production it replaces beyond the gate's 10 %.
/// </summary>
[Category("continuous-training")]
public sealed class SampleLoopDecisionTests
{
    private DemoSandbox? _sandbox;

    [TearDown]
    public void RemoveSandbox()
    {
        _sandbox?.Dispose();
        _sandbox = null;
    }

    [Test]
    public async Task IncrementalRuns_OnFedDays_NeverDeployAWorseOrUselessModel()
    {
        var sandbox = _sandbox = DemoSandbox.Create();
        string[] storage = ["--home", sandbox.Home, "--data-root", sandbox.Root];
        var full = await Run(["run", sandbox.PipelineFile, "--json", .. storage]);
        Assert.That(full.Succeeded("deploy", "model_version"), Is.EqualTo("1"), $"the full run deploys v1: {full}");
        var production = 1;
        var deployed = 0;
        for (var cycle = 0; cycle < 4; cycle++)
        {
            var fed = await DemoSandbox.MlopsAsync(
                "feed", "bike-rentals", "--out", sandbox.Data, "--rows", "24", "--ticks", "1", "--drift-at", "2025-03-01T00:00:00Z");
            Assert.That(fed.ExitCode, Is.EqualTo(0), $"mlops feed: {fed}");
            var run = await Run(["run", sandbox.PipelineFile, "--trigger", "incremental", "--json", .. storage], allowFailure: true);
            var evaluate = run.Step("evaluate")!;
            var deploy = run.Step("deploy")!;
            Assert.That(run.Watermark ?? Watermark(run), Is.Not.Null, $"every cycle consumes its day: {run}");
            if (deploy.Status != "succeeded" || deploy.Output("held_back") is not null)
            {
                continue;
            }

            var version = int.Parse(deploy.Output("model_version")!, CultureInfo.InvariantCulture);
            deployed++;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(evaluate.Metric("r_squared"), Is.GreaterThan(0), $"v{version} explains something: {run}");
                Assert.That(evaluate.Metric("production_rmse"), Is.Not.Null, $"v{version} was compared with production v{production}: {run}");
                Assert.That(evaluate.Metric("rmse"), Is.LessThanOrEqualTo(evaluate.Metric("production_rmse")!.Value * 1.1 + 1e-9),
                    $"v{version} is no worse than v{production} beyond the gate on the same rows: {run}");
                Assert.That(Rows(evaluate), Is.GreaterThanOrEqualTo(200), $"v{version} was judged on enough rows: {run}");
            }

            production = version;
        }

        var models = await DemoSandbox.MlopsAsync(["models", DemoSandbox.Pipeline, .. storage]);
        TestContext.Out.WriteLine($"{deployed} incremental deploys; production v{production}\n{models.Stdout}");
        Assert.That(deployed, Is.GreaterThan(0), $"at least one incremental candidate replaced production, so the comparison ran:\n{models.Stdout}");
    }

    private static DateTimeOffset? Watermark(RunInfo run) =>
        run.Step("prep")?.Output("watermark") is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : null;

    /// <summary>The row count in the evaluate note: "... on 245 rows: ..." (or "on 67 test rows").</summary>
    private static int Rows(StepInfo evaluate)
    {
        var note = evaluate.Output("note") ?? "";
        var at = note.IndexOf(" on ", StringComparison.Ordinal) + 4;
        var end = note.IndexOf(' ', at);
        return int.Parse(note[at..end], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    private static async Task<RunInfo> Run(string[] args, bool allowFailure = false)
    {
        var result = await DemoSandbox.MlopsAsync(args);
        if (!allowFailure)
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), $"mlops {string.Join(' ', args)}: {result}");
        }

        return RunInfo.Parse(JsonNode.Parse(result.Stdout)!);
    }
}
