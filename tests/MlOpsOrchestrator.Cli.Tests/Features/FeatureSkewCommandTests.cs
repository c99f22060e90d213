using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Features;

/// <summary>
/// <c>mlops features skew</c> on samples/feature-store's files: a model trained and deployed by <c>mlops run</c> on
/// station_activity's features, then requests logged with the feature values of its own point-in-time training set
/// (from <c>mlops features export</c>), as served right, or with one feature in seconds and another never sent.
/// </summary>
[TestFixture]
public sealed class FeatureSkewCommandTests
{
    private const string Pipeline = """
        version: 1
        name: rentals
        data:
          source: { type: csv, path: ../data/station-rentals.csv }
          timestamp: ts
          label: rentals
          features: [station_activity:trips_1h, station_activity:trips_24h, station_activity:mean_minutes_7d, station_activity:last_bikes]
          schema:
            station_activity__mean_minutes_7d: { missing: mean }
            station_activity__last_bikes: { missing: mean }
        steps:
          - { id: prep, kind: data_prep, split: { by: time, test_fraction: 0.2 } }
          - { id: train, kind: train, needs: prep, task: regression, trainer: fast_tree, options: { number_of_trees: 20 } }
          - { id: evaluate, kind: evaluate, needs: train }
          - { id: deploy, kind: deploy, needs: evaluate }
        """;

    private const string Plain = """
        version: 1
        name: plain
        data:
          source: { type: csv, path: ../data/station-rentals.csv }
          timestamp: ts
          label: rentals
        steps:
          - { id: prep, kind: data_prep }
          - { id: train, kind: train, needs: prep, task: regression, trainer: fast_tree, options: { number_of_trees: 5 } }
          - { id: evaluate, kind: evaluate, needs: train }
          - { id: deploy, kind: deploy, needs: evaluate }
        """;

    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        var sample = RepositoryPaths.Combine("samples", "feature-store");
        _folder.Write("features/station_activity.yaml", File.ReadAllText(Path.Combine(sample, "features", "station_activity.yaml")));
        _folder.Write("data/station-rentals.csv", File.ReadAllText(Path.Combine(sample, "data", "station-rentals.csv")));
        _folder.Write("data/station-trips.csv", File.ReadAllText(Path.Combine(sample, "data", "station-trips.csv")));
        _folder.Write("pipelines/rentals.yaml", Pipeline);
        _folder.Write("pipelines/plain.yaml", Plain);
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private string[] Home => ["--home", _folder.Combine("home"), "--data-root", _folder.Path];

    [Test]
    public async Task Skew_ServedAsTrained_NoSkewExitZero()
    {
        await TrainAsync(Home);
        await using (var storage = await MlOpsStorage.OpenSqliteAsync(_folder.Combine("home"), CancellationToken.None))
        {
            await LogAsync(storage.Predictions, await ServedRowsAsync(Home));
        }

        var table = await CliRun.RunAsync(["features", "skew", "rentals", .. Home]);
        var json = await CliRun.RunAsync(["features", "skew", "rentals", "--json", .. Home]);

        Assert.That(table.ExitCode, Is.Zero, table.ToString());
        Assert.That(table.StdoutLines[0], Does.StartWith("rentals v1: 2,560 request rows logged since "));
        Assert.That(table.StdoutLines.Skip(2).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[^1].Trim()), Is.All.EqualTo("ok"), table.Stdout);
        var features = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.That(features.Select(f => f.GetProperty("column").GetString()), Is.EqualTo(new[]
        {
            "station_activity__trips_1h", "station_activity__trips_24h", "station_activity__mean_minutes_7d", "station_activity__last_bikes",
        }));
        Assert.That(features.Select(f => f.GetProperty("distance").GetDouble()), Is.All.LessThan(0.2));
    }

    [Test]
    public async Task Skew_OneFeatureInSecondsOneNeverSent_SkewOnExactlyThoseExitOne()
    {
        await TrainAsync(Home);
        var rows = Skewed(await ServedRowsAsync(Home));
        await using (var storage = await MlOpsStorage.OpenSqliteAsync(_folder.Combine("home"), CancellationToken.None))
        {
            await LogAsync(storage.Predictions, rows);
        }

        var result = await CliRun.RunAsync(["features", "skew", "rentals", "--version", "1", "--since", "7d", "--json", .. Home]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        AssertSkewedExactly(result);
    }

    [Test]
    public async Task Skew_OnPostgreSql_SkewOnExactlyThoseExitOne()
    {
        var database = await (await PostgresTestEnvironment.RequireAsync()).CreateDatabaseAsync("features_skew");
        string[] on = ["--home", _folder.Combine("home-pg"), "--postgres", database, "--data-root", _folder.Path];
        await TrainAsync(on);
        var rows = Skewed(await ServedRowsAsync(on));
        await using (var storage = await MlOpsStorage.OpenPostgresAsync(database, _folder.Combine("home-pg"), CancellationToken.None))
        {
            await LogAsync(storage.Predictions, rows);
        }

        var result = await CliRun.RunAsync(["features", "skew", "rentals", "--json", .. on]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        AssertSkewedExactly(result);
    }

    [Test]
    public async Task Skew_ModelWithoutViewFeatures_SaysSoExitTwo()
    {
        var run = await CliRun.RunAsync(["run", _folder.Combine("pipelines", "plain.yaml"), .. Home]);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());

        var result = await CliRun.RunAsync(["features", "skew", "plain", .. Home]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("error: plain v1 was trained on no feature view features (its pipeline has no data.features), so there is no skew to check"));
    }

    [TestCase("nobody", new string[0], "error: unknown model 'nobody'")]
    [TestCase("rentals", new[] { "--since", "yesterday" }, "error: --since 'yesterday' is not a date and time")]
    [TestCase("rentals", new[] { "--method", "chi2" }, "error: --method 'chi2' is not a distance; use psi or ks")]
    [TestCase("rentals", new[] { "--version", "0" }, "error: --version must be 1 or more")]
    [TestCase("rentals", new[] { "--threshold", "-1" }, "error: --threshold must be a number of 0 or more")]
    public async Task Skew_BadInput_ExitTwo(string model, string[] options, string message)
    {
        var result = await CliRun.RunAsync(["features", "skew", model, .. options, .. Home]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain(message));
    }

    private static void AssertSkewedExactly(CliResult result)
    {
        var features = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("features").EnumerateArray().ToList();
        var skewed = features.Where(f => f.GetProperty("skewed").GetBoolean()).Select(f => f.GetProperty("column").GetString()).ToList();
        Assert.That(skewed, Is.EqualTo(new[] { "station_activity__mean_minutes_7d", "station_activity__last_bikes" }), result.Stdout);
        var last = features.Single(f => f.GetProperty("column").GetString() == "station_activity__last_bikes");
        Assert.That((last.GetProperty("servedMissing").GetDouble(), last.GetProperty("servedMean").ValueKind), Is.EqualTo((1.0, JsonValueKind.Null)));
    }

    private async Task TrainAsync(string[] on)
    {
        var run = await CliRun.RunAsync(["run", _folder.Combine("pipelines", "rentals.yaml"), .. on]);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    /// <summary>mean_minutes_7d in seconds (×60), last_bikes never sent.</summary>
    private static List<JsonObject> Skewed(List<JsonObject> rows)
    {
        foreach (var row in rows)
        {
            if (row["station_activity__mean_minutes_7d"] is { } minutes)
            {
                row["station_activity__mean_minutes_7d"] = minutes.GetValue<double>() * 60;
            }

            row.Remove("station_activity__last_bikes");
        }

        return rows;
    }

    /// <summary>
    /// Every third row (3 and the 20 stations share no divisor, so every station is served) of the training part (the
    /// oldest 80 %) of the point-in-time training set <c>mlops features export</c> writes, as requests: its columns but
    /// the label, feature values as numbers, a missing one left out.
    /// </summary>
    private async Task<List<JsonObject>> ServedRowsAsync(string[] on)
    {
        var file = _folder.Combine("training.csv");
        var export = await CliRun.RunAsync(["features", "export", _folder.Combine("pipelines", "rentals.yaml"), "--out", file, .. on]);
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        var training = lines.Skip(1).Take((lines.Length - 1) * 8 / 10).ToList();
        var rows = new List<JsonObject>();
        for (var i = 0; i < training.Count; i += 3)
        {
            var cells = training[i].Split(',');
            var row = new JsonObject();
            for (var c = 0; c < header.Length; c++)
            {
                if (header[c] == "rentals" || cells[c].Length == 0)
                {
                    continue;
                }

                row[header[c]] = header[c].StartsWith("station_activity__", StringComparison.Ordinal) || header[c] is "hour" or "temp"
                    ? JsonValue.Create(double.Parse(cells[c], CultureInfo.InvariantCulture))
                    : JsonValue.Create(cells[c]);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static Task LogAsync(IPredictionLog log, List<JsonObject> rows) =>
        log.AppendAsync(
            [.. rows.Select(r => new PredictionRecord("rentals", 1, DateTimeOffset.UtcNow.AddHours(-1), r.ToJsonString(), """{"score":3}""", 1.0))],
            CancellationToken.None);
}
