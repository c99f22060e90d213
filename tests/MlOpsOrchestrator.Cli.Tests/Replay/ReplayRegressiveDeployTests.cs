using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Replay;

/// <summary>
/// What <c>mlops replay</c> counts as a regressive deploy: a deploy after which the new production version scores worse
/// than the one it replaced on the next period's rows. One full run at <c>--from</c> learns the usual relation; a
/// single incremental fire then retrains on a one-day window of rows where the relation is reversed, and deploys it.
/// When the reversal was a two-day blip, the next day's rows follow the usual relation again and the new version is
/// worse there than the old one: regressive. When the reversal lasts, the new version is the better one: not regressive.
/// </summary>
[NonParallelizable] // Sets MLOPS_HOME for the process.
public sealed class ReplayRegressiveDeployTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime ReversedFrom = Start.AddDays(10);
    private const int Days = 15;

    private TempFolder _folder = null!;
    private EnvironmentScope _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        _folder.Write("pipeline.yaml", Pipeline);
        _environment = EnvironmentScope.Set(("MLOPS_HOME", _folder.Combine("home")), ("MLOPS_POSTGRES", null));
    }

    [TearDown]
    public void TearDown()
    {
        _environment.Dispose();
        _folder.Dispose();
    }

    [Test]
    public async Task Replay_DeployTrainedOnABlipThatEnds_IsRegressive()
    {
        var policy = await PolicyAsync(reversedDays: 2);

        Assert.Multiple(() =>
        {
            Assert.That(policy["runs"]!.GetValue<int>(), Is.EqualTo(2), "the full run and the one incremental fire");
            Assert.That(policy["deploys"]!.GetValue<int>(), Is.EqualTo(2), "v1, then the window model replacing it");
            Assert.That(policy["regressiveDeploys"]!.GetValue<int>(), Is.EqualTo(1), "the blip is over: the new version is worse on the next day");
        });
    }

    [Test]
    public async Task Replay_DeployThatFollowsALastingChange_IsNotRegressive()
    {
        var policy = await PolicyAsync(reversedDays: Days);

        Assert.Multiple(() =>
        {
            Assert.That(policy["runs"]!.GetValue<int>(), Is.EqualTo(2), "the full run and the one incremental fire");
            Assert.That(policy["deploys"]!.GetValue<int>(), Is.EqualTo(2), "v1, then the window model replacing it");
            Assert.That(policy["regressiveDeploys"]!.GetValue<int>(), Is.EqualTo(0), "the change lasts: the new version is better on the next day");
        });
    }

    private async Task<JsonObject> PolicyAsync(int reversedDays)
    {
        _folder.Write("data/stream.csv", Csv(reversedDays));
        var result = await CliRun.RunAsync([
            "replay", _folder.Combine("pipeline.yaml"), "--data-root", _folder.Path, "--from", "2025-01-10T00:00:00Z", "--period", "day", "--json",
        ]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        return JsonNode.Parse(result.Stdout)!["policy"]!.AsObject();
    }

    /// <summary>Hourly rows: y = 50 + 3x, reversed to y = 50 − 3x for <paramref name="reversedDays"/> days from day 10.</summary>
    private static string Csv(int reversedDays)
    {
        var text = new StringBuilder("ts,x,y\n");
        for (var h = 0; h < Days * 24; h++)
        {
            var at = Start.AddHours(h);
            var random = new Random(h * 7919);
            var x = random.NextDouble() * 10;
            var reversed = at >= ReversedFrom && at < ReversedFrom.AddDays(reversedDays);
            var y = 50 + ((reversed ? -3 : 3) * x) + random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd HH:mm:ss},{x:0.###},{y:0.###}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// One incremental fire, at 2025-01-13 00:30: its slice's test rows are the newest 20 % (from about 10:00 on the
    /// 12th), and its one-day window the day before them, inside the reversed days.
    /// </summary>
    private const string Pipeline = """
        version: 1
        name: replay-regressive
        data:
          source: { type: csv, path: data/stream.csv }
          timestamp: ts
          label: y
          schema:
            ts: { type: datetime }
            x: { type: float }
            y: { type: float }
        triggers:
          - id: once
            cron: "0 30 0 13 * ?"             # the 13th of each month: once in these 15 days
            mode: incremental
        steps:
          - id: prep
            kind: data_prep
            split: { by: time, test_fraction: 0.2 }
          - id: train
            kind: train
            needs: [prep]
            task: regression
            trainer: fast_tree
            options: { number_of_trees: 20, minimum_example_count_per_leaf: 2 }
            incremental: { strategy: window, window: 1d }
          - id: evaluate
            kind: evaluate
            needs: [train]
            primary_metric: mae
            min_rows: 1
            safety: false                  # every candidate is deployed: the replay, not the gate, judges it
          - id: deploy
            kind: deploy
            needs: [evaluate]
        """;
}
