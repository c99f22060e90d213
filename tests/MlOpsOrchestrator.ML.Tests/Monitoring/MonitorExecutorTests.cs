using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.Tests.Monitoring.Support;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Monitoring;

/// <summary>
/// The monitor step end to end: hourly bike rentals from the product's generator (60 summer days, a time split, so the
/// newest 12 days are the test set), the real data_prep, train, evaluate and deploy, then the monitor on the newest
/// 14 days, before and after rows are appended.
/// </summary>
[TestFixture]
public sealed class MonitorExecutorTests
{
    private const int Days = 60;
    private const int WindowRows = (14 * 24) + 1; // both ends of the 14 days

    private static readonly DateTime DriftAt = BikeCsv.Start.AddDays(Days);

    private MonitoringHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new MonitoringHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task ExecuteAsync_WindowBeforeTheDrift_VerdictOk()
    {
        await DeployAsync();

        var outcome = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Ok), outcome.Message);
        Assert.That(outcome.Monitor().WindowRows, Is.EqualTo(WindowRows));
        Assert.That(outcome.Monitor().WindowSource, Is.EqualTo(WindowSource.Data));
        Assert.That(outcome.Monitor().ModelVersion, Is.EqualTo(1));
        Assert.That(outcome.Metrics[MonitorNames.DriftMax], Is.LessThanOrEqualTo(0.2));
        Assert.That(outcome.Metrics, Does.ContainKey("rmse"));
        Assert.That(outcome.Message, Does.StartWith("no drift: worst feature "));
        Assert.That(outcome.Message, Does.Contain("337 rows of bikes.csv from 2025-07-25 23:00 to 2025-08-08 23:00"));
    }

    [Test]
    public async Task ExecuteAsync_ConceptDriftAppended_DetectedByPerformanceWithinTwoMonitorRuns()
    {
        // The generator's drift changes how demand responds to the features (more evening rides, less sensitivity to
        // cold and rain), not the features themselves: only performance on labelled rows can see it.
        var stream = BikeCsv.Rows(BikeCsv.Start, (Days + 14) * 24, DriftAt);
        await DeployAsync(stream.Take(Days * 24));
        var first = await _harness.MonitorAsync();

        BikeCsv.Append(_harness.PathOf(BikePipeline.File), stream.Skip(Days * 24));
        _harness.NewRun("run-2");
        var second = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(first.Message);
        TestContext.Out.WriteLine(second.Message);
        Assert.That(first.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Ok), first.Message);
        Assert.That(second.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Performance), second.Message);
        Assert.That(second.Message, Does.StartWith("performance: rmse "));
        Assert.That(second.Metrics["rmse"], Is.GreaterThan(first.Metrics["rmse"] * 1.2));
        Assert.That(second.Metrics[MonitorNames.DriftMax], Is.LessThanOrEqualTo(0.2), "the features did not move");
    }

    [Test]
    public async Task ExecuteAsync_WindowFromAnotherSeason_DriftOnTheSeason()
    {
        await DeployAsync();
        BikeCsv.Append(_harness.PathOf(BikePipeline.File), BikeCsv.Rows(new DateTime(2025, 12, 1, 0, 0, 0, DateTimeKind.Utc), 14 * 24, seed: 11));

        var outcome = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        Assert.That(outcome.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Drift), outcome.Message);
        Assert.That(outcome.Monitor().WorstFeature, Is.EqualTo("season"));
        Assert.That(outcome.Message, Does.StartWith("drift on season: PSI "));
        Assert.That(outcome.Message, Does.Contain("temp PSI"), "temperature drifted too");
        Assert.That(outcome.Monitor().WindowRows, Is.EqualTo(14 * 24), "the window ends at the newest row");
    }

    [Test]
    public async Task ExecuteAsync_KsAndAHeatWave_DriftOnTemperatureByKs()
    {
        _harness.Load(PrepareData(BikePipeline.Yaml(drift: "{ method: ks, threshold: 0.3 }", performance: null)));
        await _harness.TrainAndDeployAsync();
        var after = BikeCsv.Rows(BikeCsv.Start, (Days + 14) * 24).Skip(Days * 24).Select(r => BikeCsv.Warmer(r, 8));
        BikeCsv.Append(_harness.PathOf(BikePipeline.File), after);

        var outcome = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        Assert.That(outcome.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Drift), outcome.Message);
        Assert.That(outcome.Monitor().WorstFeature, Is.EqualTo("temp"));
        Assert.That(outcome.Message, Does.StartWith("drift on temp: KS "));
        Assert.That(outcome.Metrics, Does.Not.ContainKey("rmse"), "no performance check");
    }

    [Test]
    public async Task ExecuteAsync_WritesEveryScoreAsASeriesOncePerRunAndStep()
    {
        await DeployAsync();

        var outcome = await _harness.MonitorAsync();
        var again = await _harness.MonitorAsync();

        var points = _harness.Evaluations.Points;
        Assert.That(points.Select(p => p.Series), Is.EquivalentTo(new[]
        {
            "drift.psi.season", "drift.psi.hour", "drift.ks.hour", "drift.psi.weekday", "drift.psi.holiday", "drift.psi.weather",
            "drift.psi.temp", "drift.ks.temp", "drift.psi.humidity", "drift.ks.humidity", "drift.psi.windspeed", "drift.ks.windspeed",
            "metric.rmse", "verdict.performance", "verdict.drift", "window.rows",
        }), "a second execution of the same run's step adds nothing");
        var now = _harness.Clock.Now;
        Assert.That(points.Select(p => (p.Pipeline, p.Model, p.ModelVersion, p.RunId, p.StepId, p.At)).Distinct(),
            Is.EqualTo(new[] { ("bikes", "bikes", (int?)1, "run-1", "monitor", now) }));
        Assert.That(points.Single(p => p.Series == "window.rows").Value, Is.EqualTo(WindowRows));
        Assert.That(points.Single(p => p.Series == "verdict.drift").Value, Is.Zero);
        Assert.That(points.Single(p => p.Series == "metric.rmse").Value, Is.EqualTo(outcome.Metrics["rmse"]));
        Assert.That(again.Result, Is.EqualTo(outcome.Result));

        _harness.NewRun("run-2");
        await _harness.MonitorAsync();
        Assert.That(_harness.Evaluations.Points.Count(p => p.Series == "window.rows"), Is.EqualTo(2), "another run adds its own points");
    }

    [Test]
    public async Task ExecuteAsync_UnlabelledAndUnreadableRows_DriftUsesTheFormerPerformanceNeitherAndTheLatterAreCounted()
    {
        await DeployAsync();
        var day = BikeCsv.Rows(BikeCsv.Start, (Days + 1) * 24).Skip(Days * 24)
            .Select(r => r[..r.LastIndexOf(',')] + ",") // labels not known yet
            .ToList();
        var fields = day[5].Split(',');
        fields[6] = "hot"; // temp
        day[5] = string.Join(',', fields);
        BikeCsv.Append(_harness.PathOf(BikePipeline.File), day);

        var outcome = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Monitor().WindowRows, Is.EqualTo(WindowRows - 1));
        Assert.That(outcome.Message, Does.Contain($" on {WindowRows - 24} labelled rows vs "));
        Assert.That(outcome.Message, Does.EndWith("; 1 row left out for values that cannot be read"));
    }

    [Test]
    public async Task ExecuteAsync_NoTimestamp_ComparesTheRequestsLoggedInTheWindow()
    {
        _harness.Load(PrepareData(BikePipeline.Yaml(timestamp: false)));
        await _harness.TrainAndDeployAsync();
        var now = _harness.Clock.Now;
        var summer = BikeCsv.Rows(BikeCsv.Start.AddDays(40), 300, seed: 21);
        var winter = BikeCsv.Rows(new DateTime(2025, 12, 1, 0, 0, 0, DateTimeKind.Utc), 300, seed: 22);
        // Winter requests older than the 14-day window must not count.
        await Log(winter.Select((row, i) => (row, now.AddDays(-20).AddMinutes(i))));
        await Log(summer.Select((row, i) => (row, now.AddDays(-2).AddMinutes(i))));

        var quiet = await _harness.MonitorAsync();
        await Log(winter.Select((row, i) => (row, now.AddHours(-1).AddSeconds(i))));
        _harness.NewRun("run-2");
        var drifted = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(quiet.Message);
        TestContext.Out.WriteLine(drifted.Message);
        Assert.That(quiet.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Ok), quiet.Message);
        Assert.That(quiet.Monitor().WindowSource, Is.EqualTo(WindowSource.Predictions));
        Assert.That(quiet.Monitor().WindowRows, Is.EqualTo(300));
        Assert.That(quiet.Message, Does.Contain("rmse not measured: logged requests carry no labels"));
        Assert.That(drifted.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Drift), drifted.Message);
        Assert.That(drifted.Monitor().WindowRows, Is.EqualTo(600));
        Assert.That(drifted.Monitor().WorstFeature, Is.EqualTo("season"));
    }

    [Test]
    public async Task ExecuteAsync_WindowOfTwoRows_WarnsThatTheScoresAreNoise()
    {
        _harness.Load(PrepareData(BikePipeline.Yaml(window: "1h")));
        await _harness.TrainAndDeployAsync();

        var outcome = await _harness.MonitorAsync();

        Assert.That(outcome.Monitor().WindowRows, Is.EqualTo(2));
        Assert.That(outcome.Message, Does.Contain("; only 2 rows: by chance alone a 10-bin PSI is about 4.50, so a longer window gives steadier scores"));
    }

    [Test]
    public async Task ExecuteAsync_NoTimestampAndNoRequestLogged_Skipped()
    {
        _harness.Load(PrepareData(BikePipeline.Yaml(timestamp: false)));
        await _harness.TrainAndDeployAsync();

        var outcome = await _harness.MonitorAsync();

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Skipped));
        Assert.That(outcome.Message, Is.EqualTo(
            "nothing to monitor: the pipeline has no data.timestamp to cut a window from its data, and no request to bikes was logged in the last 14d"));
        Assert.That(_harness.Evaluations.Points, Is.Empty);
    }

    [Test]
    public async Task ExecuteAsync_NoProductionVersion_SkippedSayingSo()
    {
        _harness.Load(PrepareData(BikePipeline.Yaml()));

        var outcome = await _harness.MonitorAsync();

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Skipped));
        Assert.That(outcome.Message, Is.EqualTo("bikes has no production version yet; nothing to monitor"));
    }

    [Test]
    public async Task ExecuteAsync_FileLostAColumnTheModelReads_FailsNamingIt()
    {
        await DeployAsync();
        var path = _harness.PathOf(BikePipeline.File);
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 6)))); // temp

        var outcome = await _harness.MonitorAsync();

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Is.EqualTo("bikes.csv no longer has the columns 'temp', which production model bikes v1 reads"));
    }

    private async Task DeployAsync(IEnumerable<string>? rows = null)
    {
        _harness.Load(PrepareData(BikePipeline.Yaml(), rows));
        await _harness.TrainAndDeployAsync();
    }

    private string PrepareData(string yaml, IEnumerable<string>? rows = null)
    {
        BikeCsv.Write(_harness.PathOf(BikePipeline.File), rows ?? BikeCsv.Rows(BikeCsv.Start, Days * 24));
        return yaml;
    }

    private Task Log(IEnumerable<(string Row, DateTimeOffset At)> requests) =>
        _harness.Predictions.AppendAsync(
            [.. requests.Select(r => new PredictionRecord("bikes", 1, r.At, BikeCsv.FeaturesJson(r.Row), """{"score":100}""", 1.5))], CancellationToken.None);
}
