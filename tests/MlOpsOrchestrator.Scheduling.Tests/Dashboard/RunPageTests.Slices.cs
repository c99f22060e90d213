using System.Net;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

/// <summary>The run page of a run whose candidate lost a slice: the held-back reason and the failed slices' table.</summary>
public sealed partial class RunPageTests
{
    [Test]
    public async Task RunWithAFailedSliceGate_ShowsTheSliceBothValuesChangeAndRows()
    {
        var now = DateTimeOffset.UtcNow;
        var id = $"{Watch}-sliced-{Guid.NewGuid():N}"[..40];
        var failure = new SliceVerdict("rmse", GateKind.MaxIncrease, 0.15, 50, "season", "season=winter", 412, 9.1, 5.2, 0.75);
        await _storage.Runs.CreateAsync(new RunRecord
        {
            RunId = id, Pipeline = Watch, PipelineVersion = "v1", PipelineFile = Path.Combine(_world.PipelinesFolder, "watch.yaml"), PipelineYaml = WatchYaml,
            Trigger = "nightly", Mode = RunMode.Full, Status = RunStatus.Succeeded, Level = 4, CreatedAt = now, StartedAt = now, FinishedAt = now.AddSeconds(2),
        },
        [
            new StepRecord
            {
                RunId = id, StepId = "evaluate", Kind = "evaluate", Status = StepStatus.Succeeded, StartedAt = now, FinishedAt = now.AddSeconds(1),
                Metrics = new Dictionary<string, double> { ["rmse"] = 4.0, ["production_rmse"] = 4.4 },
                Result = new EvaluateResult { Chosen = "train", ProductionVersion = 3, HeldBack = failure.Describe(), SliceFailures = [failure] },
            },
        ], CancellationToken.None);
        using var client = _host.Client();

        var text = WebUtility.HtmlDecode(await (await client.GetAsync($"/hangfire/runs/{id}")).Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("held back: slice gate rmse max_increase 0.15 failed on season=winter: 9.10 vs production 5.20 (+75.0%) on 412 rows (min_rows 50)"));
            Assert.That(text, Does.Contain("<tr data-slice=\"season=winter\" data-metric=\"rmse\"><td>rmse max_increase 0.15</td><td>season=winter</td><td>9.1</td><td>5.2</td><td><span class=\"label label-danger\">+75.0%</span></td><td>412 (min_rows 50)</td></tr>"));
        });
    }
}
