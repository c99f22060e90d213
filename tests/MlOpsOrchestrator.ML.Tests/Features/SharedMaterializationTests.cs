using MlOpsOrchestrator.ML.Tests.Data;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Features;

/// <summary>
/// data_prep with <c>data.features</c>, the real step on real files: the view's events are materialized once and
/// every later run and pipeline reads them (0 source rows), a source that changed is materialized again, and the
/// prepared data holds the feature columns the schema names.
/// </summary>
[TestFixture]
public sealed class SharedMaterializationTests
{
    private const string Second = """
        version: 1
        name: rentals-max
        data:
          source: { type: csv, path: rentals.csv }
          timestamp: ts
          label: rentals
          features: [station_activity:max_minutes_3h, station_activity:trips_1h]
          schema:
            station_activity__max_minutes_3h: { missing: zero }
        steps:
          - { id: prep, kind: data_prep }
          - { id: train, kind: train, needs: prep, task: regression, trainer: fast_tree }
        """;

    private FeatureWorld _world = null!;

    [SetUp]
    public void SetUp()
    {
        _world = new FeatureWorld();
        _world.Generate(seed: 11, stations: 6, trips: 3000, rentals: 400);
        _world.WriteFiles();
    }

    [TearDown]
    public void TearDown() => _world.Dispose();

    private static string First => FeatureWorld.Pipeline.Replace("  features:", "  schema:\n    station_activity__mean_minutes_1d: { missing: zero }\n    station_activity__min_minutes_3h: { missing: zero }\n    station_activity__max_minutes_3h: { missing: zero }\n    station_activity__last_bikes: { missing: zero }\n    station_activity__last_bikes_30m: { missing: zero }\n  features:", StringComparison.Ordinal);

    [Test]
    public async Task Prep_TwoPipelinesOneView_SecondReadsNoSourceRow()
    {
        var first = await _world.Harness.SucceedAsync(First);
        var second = await _world.Harness.SucceedAsync(Second);

        Assert.Multiple(() =>
        {
            Assert.That(first.Message, Does.Contain("features: station_activity materialized (3,000 events from 3,000 rows"));
            Assert.That(first.Metrics["feature_source_rows_read"], Is.EqualTo(3000));
            Assert.That(second.Message, Does.Contain("features: station_activity reused (3,000 events"));
            Assert.That(second.Metrics["feature_source_rows_read"], Is.Zero);
        });
    }

    [Test]
    public async Task Prep_FeatureColumns_PreparedAndNamedInTheSchema()
    {
        var outcome = await _world.Harness.SucceedAsync(Second);

        var prepared = _world.Harness.Prepared(outcome);
        var trips = DataViewReader.Column<float>(prepared.Train, "station_activity__trips_1h").Concat(DataViewReader.Column<float>(prepared.Test, "station_activity__trips_1h")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(prepared.Schema.ViewFeatures!.Select(f => (f.View, f.Feature, f.Column)), Is.EqualTo(new[]
            {
                ("station_activity", "max_minutes_3h", "station_activity__max_minutes_3h"),
                ("station_activity", "trips_1h", "station_activity__trips_1h"),
            }));
            Assert.That(trips, Has.Count.EqualTo(400));
            Assert.That(trips.Sum(), Is.EqualTo(_world.Rentals.Sum(r => _world.BruteForce(r)[0]!.Value)));
        });
    }

    [Test]
    public async Task Prep_SourceGrewBetweenRuns_MaterializedAgainWithTheNewEvents()
    {
        var before = await _world.Harness.SucceedAsync(Second);
        var last = _world.Rentals.Max(r => r.At);
        foreach (var rental in _world.Rentals.Where(r => r.At == last))
        {
            _world.Trips.Add(new FeatureWorld.Trip(rental.Station, last, 5, "new", 1));
        }

        _world.WriteFiles();
        File.SetLastWriteTimeUtc(Path.Combine(_world.Harness.DataRoot, "trips.csv"), DateTime.UtcNow.AddMinutes(1));
        var after = await _world.Harness.SucceedAsync(Second);

        var trips = DataViewReader.Column<float>(_world.Harness.Prepared(after).Train, "station_activity__trips_1h")
            .Concat(DataViewReader.Column<float>(_world.Harness.Prepared(after).Test, "station_activity__trips_1h")).Sum();
        Assert.Multiple(() =>
        {
            Assert.That(before.Message, Does.Contain("station_activity materialized"));
            Assert.That(after.Message, Does.Contain($"station_activity materialized ({_world.Trips.Count:N0} events"));
            Assert.That(trips, Is.EqualTo(_world.Rentals.Sum(r => _world.BruteForce(r)[0]!.Value)));
        });
    }

    [Test]
    public async Task Prep_MissingFeatureWithoutARule_FailsAsAnyMissingValue()
    {
        var message = await _world.Harness.FailAsync(Second.Replace("    station_activity__max_minutes_3h: { missing: zero }\n", "    station_activity__trips_1h: { type: float }\n", StringComparison.Ordinal));

        Assert.That(message, Does.Contain("station_activity__max_minutes_3h"));
    }
}
