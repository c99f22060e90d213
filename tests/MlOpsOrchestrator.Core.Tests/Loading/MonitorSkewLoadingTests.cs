using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>A monitor step's <c>skew:</c> (training/serving skew of feature view features): read, defaulted and checked with file:line:col.</summary>
[TestFixture]
public sealed class MonitorSkewLoadingTests
{
    private const string View = """
        version: 1
        kind: feature_view
        name: station_activity
        entity: station_id
        source: { type: csv, path: ../data/trips.csv }
        timestamp: ended_at
        features:
          trips_1h: { agg: count, window: 1h }
        """;

    private const string Pipeline = """
        version: 1
        name: rentals
        data:
          source: { type: csv, path: ../data/rentals.csv }
          timestamp: ts
          label: rentals
          features: [station_activity:trips_1h]
        steps:
          - { id: prep, kind: data_prep }
          - id: watch
            kind: monitor
            skew: { threshold: 0.3, max_missing_increase: 0.05 }
        """;

    private LoaderWorkspace _workspace = null!;

    [SetUp]
    public void SetUp()
    {
        _workspace = new LoaderWorkspace();
        _workspace.Write("data/trips.csv", "station_id,ended_at,minutes\ns1,2024-01-01T00:10:00Z,12.5\n");
        _workspace.Write("data/rentals.csv", "station_id,ts,rentals\ns1,2024-01-01T01:00:00Z,3\n");
        _workspace.Write("features/station_activity.yaml", View);
    }

    [TearDown]
    public void TearDown() => _workspace.Dispose();

    private LoadResult Load(string yaml) => _workspace.Loader.LoadFile(_workspace.Write("pipelines/rentals.yaml", yaml), "rentals.yaml");

    [Test]
    public void Load_Skew_ValuesRead()
    {
        var result = Load(Pipeline);

        Assert.That(result.Errors, Is.Empty, string.Join('\n', result.Errors));
        var monitor = result.Definition!.Spec.Steps.OfType<MonitorStep>().Single();
        Assert.That((monitor.Skew!.Threshold, monitor.Skew.MaxMissingIncrease), Is.EqualTo((0.3, 0.05)));
    }

    [Test]
    public void Load_NoSkew_NullAndTheDefaultsDocumented()
    {
        var result = Load(Pipeline.Replace("\n    skew: { threshold: 0.3, max_missing_increase: 0.05 }", "", StringComparison.Ordinal));

        Assert.That(result.Errors, Is.Empty, string.Join('\n', result.Errors));
        Assert.That(result.Definition!.Spec.Steps.OfType<MonitorStep>().Single().Skew, Is.Null);
        Assert.That((SkewCheck.Default.Threshold, SkewCheck.Default.MaxMissingIncrease), Is.EqualTo((0.2, 0.1)));
    }

    [TestCase("threshold: 0.3", "threshold: -1", "steps[1].skew.threshold", 12, 24, "-1 is out of range; use a number of 0 or more")]
    [TestCase("max_missing_increase: 0.05", "max_missing_increase: 2", "steps[1].skew.max_missing_increase", 12, 51, "2 is out of range; use a number from 0 to 1")]
    [TestCase("threshold: 0.3", "threshold: high", "steps[1].skew.threshold", 12, 24, "expected a number, got 'high'")]
    [TestCase("threshold: 0.3", "limit: 0.3", "steps[1].skew.limit", 12, 13, "unknown")]
    [TestCase("  features: [station_activity:trips_1h]\n", "", "steps[1].skew", 11, 11, "skew compares served feature view features with training, but the pipeline uses none; add data.features or remove 'skew'")]
    public void Load_BadSkew_ErrorAtItsPosition(string text, string replacement, string path, int line, int column, string message)
    {
        var errors = Load(Pipeline.Replace(text, replacement, StringComparison.Ordinal)).Errors;

        Assert.That(errors.Select(e => (e.File, e.Line, e.Column, e.Path)), Is.EqualTo(new[] { ("rentals.yaml", line, column, path) }), string.Join('\n', errors));
        Assert.That(errors[0].Message, Does.Contain(message));
    }
}
