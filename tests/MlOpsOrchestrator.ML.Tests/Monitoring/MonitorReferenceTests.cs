using System.Globalization;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.Tests.Monitoring.Support;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Monitoring;

/// <summary>
/// Seasonal data is not drift: a daily series over three years with a seasonal feature (the season, and a temperature
/// that follows it), a model trained through early January, then the next two weeks of January monitored with each
/// <c>reference</c>; and a drift the production model was trained on is answered until newer rows arrive.
/// </summary>
[TestFixture]
public sealed class MonitorReferenceTests
{
    private const string DataFile = "daily.csv";
    private static readonly DateTime First = new(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Three years and 25 days: the newest two weeks are 12–25 January 2025.</summary>
    private const int Days = (3 * 365) + 1 + 25;

    private MonitoringHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new MonitoringHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static string Yaml(string reference) => $$"""
        version: 1
        name: daily
        data:
          source: { type: csv, path: {{DataFile}} }
          timestamp: ts
          label: demand
          schema:
            ts: { type: datetime }
            season: { type: categorical }
            weekday: { type: categorical }
            temp: { type: float }
            demand: { type: float }
        steps:
          - id: prep
            kind: data_prep
            split: { by: time, test_fraction: 0.2 }
          - id: train
            kind: train
            needs: [prep]
            task: regression
            trainer: sdca
          - id: evaluate
            kind: evaluate
            needs: [train]
          - id: deploy
            kind: deploy
            needs: [evaluate]
          - id: monitor
            kind: monitor
            needs: [deploy]
            window: 14d
            drift: { method: psi, threshold: 0.2 }
        {{reference}}
        """;

    /// <summary>One row a day: the season of the date, a temperature that follows the year, demand that follows both.</summary>
    private static IEnumerable<string> Rows(int from, int count)
    {
        var random = new Random(from + 17);
        for (var day = from; day < from + count; day++)
        {
            var date = First.AddDays(day);
            var season = date.Month switch { 12 or 1 or 2 => "winter", 3 or 4 or 5 => "spring", 6 or 7 or 8 => "summer", _ => "autumn" };
            var temp = 10 - (12 * Math.Cos(2 * Math.PI * (date.DayOfYear - 15) / 365.25)) + (random.NextDouble() * 4) - 2;
            var demand = 200 + (8 * temp) + (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 40 : 0) + (random.NextDouble() * 20);
            yield return string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd},{season},{date.DayOfWeek},{temp:0.0},{demand:0.0}");
        }
    }

    /// <summary>Deploys a model trained on every day but the newest <paramref name="held"/>, then appends them.</summary>
    private async Task DeployThenAppendAsync(string reference, int held)
    {
        File.WriteAllLines(_harness.PathOf(DataFile), ["ts,season,weekday,temp,demand", .. Rows(0, Days - held)]);
        _harness.Load(Yaml(reference));
        await _harness.TrainAndDeployAsync();
        File.AppendAllLines(_harness.PathOf(DataFile), Rows(Days - held, held));
    }

    [Test]
    public async Task Monitor_ReferenceTraining_WinterFortnightDriftsOnTheSeason()
    {
        await DeployThenAppendAsync("", held: 14);

        var outcome = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Drift), outcome.Message);
            Assert.That(outcome.Monitor().WorstFeature, Is.AnyOf("season", "temp"));
            Assert.That(outcome.Metrics[MonitorNames.DriftMax], Is.GreaterThan(2), "a winter fortnight against every season");
            Assert.That(outcome.Monitor().Reference, Is.EqualTo("training"));
            Assert.That(outcome.Message, Does.Contain("against the training data of daily v1"));
        });
    }

    [Test]
    public async Task Monitor_ReferenceSamePeriod_WinterFortnightAgainstEarlierJanuariesIsNotDrift()
    {
        await DeployThenAppendAsync("    reference: same_period", held: 14);

        var outcome = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Ok), outcome.Message);
            Assert.That(outcome.Metrics[MonitorNames.DriftMax], Is.LessThan(0.2));
            Assert.That(outcome.Monitor().Reference, Is.EqualTo("same_period"));
            Assert.That(outcome.Message, Does.Contain("against the same 14d of 3 earlier years (45 rows from 2024-01-11 00:00 to 2024-01-25 00:00, "));
        });
    }

    [Test]
    public async Task Monitor_ReferencePreviousWindow_ComparesWithTheFortnightBefore()
    {
        await DeployThenAppendAsync("    reference: previous_window", held: 14);

        var outcome = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Ok), outcome.Message);
            Assert.That(outcome.Monitor().Reference, Is.EqualTo("previous_window"));
            Assert.That(outcome.Message, Does.Contain("against the previous 14d (14 rows from 2024-12-28 00:00 to 2025-01-11 00:00)"));
        });
    }

    [Test]
    public async Task Monitor_SamePeriodWithoutAnEarlierYear_FallsBackToTheTrainingDataAndSaysSo()
    {
        // Only the last 300 days: no January before the monitored one.
        File.WriteAllLines(_harness.PathOf(DataFile), ["ts,season,weekday,temp,demand", .. Rows(Days - 300, 286)]);
        _harness.Load(Yaml("    reference: same_period"));
        await _harness.TrainAndDeployAsync();
        File.AppendAllLines(_harness.PathOf(DataFile), Rows(Days - 14, 14));

        var outcome = await _harness.MonitorAsync();

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Monitor().Reference, Is.EqualTo("training"));
            Assert.That(outcome.Message, Does.Contain("against the training data of daily v1 (reference same_period: the data has no earlier year with rows in the window's dates, so it was compared with the training data instead)"));
        });
    }

    [Test]
    public async Task Monitor_DriftOnRowsProductionWasTrainedThrough_AnsweredUntilNewerRowsArrive()
    {
        // The level-4 bike-rentals case: right after a full run, the window is the newest rows of the data production
        // was trained from; its season differs from the year's, and a retrain would learn the same rows.
        await DeployThenAppendAsync("", held: 0);

        var first = await _harness.MonitorAsync();
        File.AppendAllLines(_harness.PathOf(DataFile), Rows(Days, 7));
        _harness.NewRun("run-2");
        var second = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(first.Message);
        TestContext.Out.WriteLine(second.Message);
        Assert.Multiple(() =>
        {
            Assert.That(first.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Ok), first.Message);
            Assert.That(first.Monitor().DriftAnswered, Is.True);
            Assert.That(first.Metrics[MonitorNames.DriftMax], Is.GreaterThan(2), "the score is still reported");
            Assert.That(first.Message, Does.Contain(", already answered: daily v1 was trained from scratch on data through 2025-01-25 00:00, which includes every row monitored"));
            Assert.That(second.Monitor().Verdict, Is.EqualTo(MonitorVerdict.Drift), "the drift persists in rows production has not seen: " + second.Message);
            Assert.That(second.Monitor().DriftAnswered, Is.False);
        });
    }
}
