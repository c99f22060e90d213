using System.Globalization;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Replay;

/// <summary>
/// <c>mlops replay</c> shows what each monitor <c>reference</c> would have done: on a series of three years with
/// a yearly season, replayed over a winter, the training data (every season) finds drift on most monitor runs and
/// would retrain again and again, while the same weeks of earlier years find none.
/// </summary>
[NonParallelizable] // Sets MLOPS_HOME for the process.
public sealed class ReplayReferencesTests
{
    private static readonly DateTime First = new(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Three years and 25 days: the newest day is 25 January 2025.</summary>
    private const int Days = (3 * 365) + 1 + 25;

    private const string Pipeline = """
        version: 1
        name: seasonal
        data:
          source: { type: csv, path: data/daily.csv }
          timestamp: ts
          label: demand
          schema:
            ts: { type: datetime }
            season: { type: categorical }
            weekday: { type: categorical }
            temp: { type: float }
            demand: { type: float }
        triggers:
          - id: watch
            cron: "0 0 6 * * ?"
            steps: [monitor, retrain]
          - id: weekly
            cron: "0 0 2 ? * MON"
            steps: [prep, train, evaluate, deploy]
          - id: on-drift
            on: drift
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
            primary_metric: mae
          - id: deploy
            kind: deploy
            needs: [evaluate]
          - id: monitor
            kind: monitor
            needs: [deploy]
            window: 14d
            drift: { method: psi, threshold: 0.2 }
          - id: retrain
            kind: retrain
            needs: [monitor]
            trigger: on-drift
            cooldown: 7d
        """;

    private TempFolder _folder = null!;
    private EnvironmentScope _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        _folder.Write("pipeline.yaml", Pipeline);
        _folder.Write("data/daily.csv", string.Join('\n', Rows().Prepend("ts,season,weekday,temp,demand")) + "\n");
        _environment = EnvironmentScope.Set(("MLOPS_HOME", _folder.Combine("home")), ("MLOPS_POSTGRES", null));
    }

    [TearDown]
    public void TearDown()
    {
        _environment.Dispose();
        _folder.Dispose();
    }

    [Test]
    public async Task Replay_SeasonalWinter_TrainingReferenceDriftsAndWouldRetrainWhereSamePeriodDoesNot()
    {
        var result = await CliRun.RunAsync(["replay", _folder.Combine("pipeline.yaml"), "--data-root", _folder.Path,
            "--from", "2024-12-01T00:00:00Z", "--to", "2025-01-25T00:00:00Z", "--json"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var json = JsonNode.Parse(result.Stdout)!.AsObject();

        var references = json["monitorReferences"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.That(references.Select(r => r["reference"]!.GetValue<string>()), Is.EqualTo(new[] { "training", "previous_window", "same_period" }));
        var (training, previous, same) = (references[0], references[1], references[2]);
        int Count(JsonObject r, string key) => r[key]!.GetValue<int>();
        foreach (var reference in references)
        {
            TestContext.Out.WriteLine($"{reference["reference"]}: checks {reference["checks"]}, drift {reference["driftFound"]}, would retrain {reference["wouldRetrain"]}; "
                + string.Join(", ", reference["runs"]!.AsArray().Take(12).Select(c => $"{c!["used"]} {c["worstFeature"]} {c["worstScore"]}")));
        }

        Assert.Multiple(() =>
        {
            Assert.That(Count(training, "checks"), Is.GreaterThanOrEqualTo(50), "one check per monitor run: daily, and in each retrain");
            Assert.That(references.Select(r => Count(r, "checks")), Is.All.EqualTo(Count(training, "checks")), "every reference judges the same windows");
            Assert.That(training["policy"]!.GetValue<bool>(), Is.True, "the pipeline's own reference");
            Assert.That(Count(training, "driftFound"), Is.GreaterThan(Count(training, "checks") / 2), "a winter fortnight against every season");
            Assert.That(Count(same, "driftFound"), Is.Zero, "the same weeks of earlier winters");
            Assert.That(Count(training, "wouldRetrain"), Is.GreaterThanOrEqualTo(5), "once a week (the cooldown) through the winter");
            Assert.That(Count(same, "wouldRetrain"), Is.Zero);
            Assert.That(same["runs"]!.AsArray().Select(c => c!["used"]!.GetValue<string>()), Is.All.EqualTo("same_period"));
            Assert.That(training["runs"]!.AsArray().Where(c => c!["driftFound"]!.GetValue<bool>()).Select(c => c!["worstFeature"]!.GetValue<string>()),
                Is.All.AnyOf("season", "temp"));
            Assert.That(json["policy"]!["retrains"]!.GetValue<int>(), Is.GreaterThan(0), "the policy itself monitors against training");
        });

        var text = await CliRun.RunAsync(["replay", _folder.Combine("pipeline.yaml"), "--data-root", _folder.Path,
            "--from", "2024-12-01T00:00:00Z", "--to", "2025-01-25T00:00:00Z"]);
        TestContext.Out.WriteLine(text.Stdout);
        Assert.That(text.Stdout, Does.Contain("monitor references, each judging the same window at each of the policy's ")
            .And.Match(@"training \*\s+\d+\s+\d+\s+\d+\s+(season|temp) \(\d+\)")
            .And.Match(@"same_period\s+\d+\s+0\s+0\s+-"));
    }

    /// <summary>
    /// A row every three hours (so a 14-day window holds 112 rows, enough for a steady PSI): the season of the date, a
    /// temperature that follows the year, demand that follows both.
    /// </summary>
    private static IEnumerable<string> Rows()
    {
        var random = new Random(17);
        for (var step = 0; step < Days * 8; step++)
        {
            var date = First.AddHours(3 * step);
            var season = date.Month switch { 12 or 1 or 2 => "winter", 3 or 4 or 5 => "spring", 6 or 7 or 8 => "summer", _ => "autumn" };
            var temp = 10 - (12 * Math.Cos(2 * Math.PI * (date.DayOfYear - 15) / 365.25)) + (random.NextDouble() * 4) - 2;
            var demand = 200 + (8 * temp) + (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 40 : 0) + (random.NextDouble() * 20);
            yield return string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd HH:mm:ss},{season},{date.DayOfWeek},{temp:0.0},{demand:0.0}");
        }
    }
}
