using System.Globalization;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.ML.Tests.Monitoring.Support;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Monitoring;

/// <summary>
/// The monitor step's training/serving skew check on samples/feature-store's files: a model trained with the real
/// data_prep, train, evaluate and deploy on station_activity's features, then requests logged with feature values
/// taken from its own point-in-time training set, as served right, or with one feature computed in seconds instead of
/// minutes and another never sent.
/// </summary>
[TestFixture]
public sealed class MonitorSkewTests
{
    private const string Pipeline = """
        version: 1
        name: rentals
        data:
          source: { type: csv, path: data/station-rentals.csv }
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
          - { id: monitor, kind: monitor, needs: deploy, window: 14d, skew: { threshold: 0.2, max_missing_increase: 0.1 } }
        """;

    private MonitoringHarness _harness = null!;

    [SetUp]
    public void SetUp()
    {
        _harness = new MonitoringHarness();
        var sample = RepositoryPaths.Combine("samples", "feature-store");
        Directory.CreateDirectory(_harness.PathOf("features"));
        File.Copy(Path.Combine(sample, "features", "station_activity.yaml"), _harness.PathOf(Path.Combine("features", "station_activity.yaml")));
        Directory.CreateDirectory(_harness.PathOf("data"));
        foreach (var file in new[] { "station-rentals.csv", "station-trips.csv" })
        {
            File.Copy(Path.Combine(sample, "data", file), _harness.PathOf(Path.Combine("data", file)));
        }
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task Monitor_ServedAsTrained_NoSkew()
    {
        await DeployAsync();
        await LogAsync(await ServedRowsAsync());

        var outcome = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Monitor().SkewChecked, Is.EqualTo(4));
        Assert.That(outcome.Monitor().SkewedFeatures, Is.Empty, outcome.Message);
        Assert.That(outcome.Message, Does.Contain("no skew in 4 view features over"));
        Assert.That(RunNotifications.OfSkew(_harness.Run, _harness.Records["monitor"], DateTimeOffset.UnixEpoch), Is.Null);
    }

    [Test]
    public async Task Monitor_OneFeatureInSecondsOneNeverSent_SkewOnExactlyThoseTwo_NotADriftToRetrainOn()
    {
        await DeployAsync();
        var rows = await ServedRowsAsync();
        foreach (var row in rows)
        {
            if (row["station_activity__mean_minutes_7d"] is { } minutes)
            {
                row["station_activity__mean_minutes_7d"] = minutes.GetValue<double>() * 60;
            }

            row.Remove("station_activity__last_bikes");
        }

        await LogAsync(rows);

        var outcome = await _harness.MonitorAsync();

        TestContext.Out.WriteLine(outcome.Message);
        var monitor = outcome.Monitor();
        Assert.That(monitor.SkewedFeatures, Is.EqualTo(new[] { "station_activity__mean_minutes_7d", "station_activity__last_bikes" }), outcome.Message);
        Assert.That(outcome.Message, Does.Contain("training/serving skew on station_activity__mean_minutes_7d (PSI ")
            .And.Contain("station_activity__last_bikes (missing in 100% of requests, 0% of training rows)")
            .And.Contain("a retrain would not fix it"));
        Assert.That(monitor.Verdict, Is.Not.EqualTo(MonitorVerdict.Drift).Or.Property(nameof(MonitorResult.WorstFeature)).Not.StartWith("station_activity__"),
            "served view features never count as drift");
        var alert = RunNotifications.OfSkew(_harness.Run, _harness.Records["monitor"], DateTimeOffset.UnixEpoch);
        Assert.That(alert?.Event, Is.EqualTo(NotifyEvent.SkewFound));
        Assert.That(alert!.Text, Does.Contain("(station_activity__mean_minutes_7d, station_activity__last_bikes)"));
    }

    private async Task DeployAsync()
    {
        _harness.Load(Pipeline);
        await _harness.TrainAndDeployAsync();
    }

    /// <summary>Every third row (3 and the 20 stations share no divisor, so every station is served) of the training part (the oldest 80 %) of the pipeline's point-in-time training set, as requests: its columns but the label, feature values as numbers, a missing one left out.</summary>
    private async Task<List<JsonObject>> ServedRowsAsync()
    {
        var file = _harness.PathOf("training.csv");
        var store = new FeatureStore(_harness.Artifacts, TestSources.BuiltIn);
        var (export, problem) = await store.ExportAsync(_harness.Definition!.Spec.Data, file, null, _ => { }, CancellationToken.None);
        Assert.That(export, Is.Not.Null, problem);
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

    private Task LogAsync(List<JsonObject> rows) =>
        _harness.Predictions.AppendAsync(
            [.. rows.Select(r => new PredictionRecord("rentals", 1, _harness.Clock.GetUtcNow().AddHours(-1), r.ToJsonString(), """{"score":3}""", 1.0))],
            CancellationToken.None);
}
