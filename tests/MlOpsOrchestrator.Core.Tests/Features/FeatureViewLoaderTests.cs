using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Features;

/// <summary>
/// Feature view files and the pipelines that use them, loaded as <c>mlops validate</c> loads them: every mistake is
/// an error with file:line:col, in the view file or at the pipeline's <c>data.features</c> entry.
/// </summary>
[TestFixture]
public sealed class FeatureViewLoaderTests
{
    private const string View = """
        version: 1
        kind: feature_view
        name: station_activity
        owner: mobility
        entity: station_id
        source: { type: csv, path: ../data/trips.csv }
        timestamp: ended_at
        features:
          trips_1h: { agg: count, window: 1h }
          mean_minutes_7d: { agg: mean, column: minutes, window: 7d }
          riders_24h: { agg: distinct_count, column: rider, window: 24h }
          last_bikes: { agg: last, column: bikes_available }
        ttl: 2d
        online: { refresh: "0 0/5 * * * ?" }
        """;

    private const string Pipeline = """
        version: 1
        name: rentals
        data:
          source: { type: csv, path: ../data/rentals.csv }
          timestamp: ts
          label: rentals
          features: [station_activity:trips_1h, station_activity:mean_minutes_7d]
        steps:
          - { id: prep, kind: data_prep }
        """;

    private LoaderWorkspace _workspace = null!;

    [SetUp]
    public void SetUp()
    {
        _workspace = new LoaderWorkspace();
        _workspace.Write("data/trips.csv", "station_id,ended_at,minutes,rider,bikes_available,note\ns1,2024-01-01T00:10:00Z,12.5,r1,4,ok\n");
        _workspace.Write("data/rentals.csv", "station_id,ts,rentals\ns1,2024-01-01T01:00:00Z,3\n");
    }

    [TearDown]
    public void TearDown() => _workspace.Dispose();

    private FeatureViewLoader Views => new(new PipelineLoaderOptions { DataRoot = _workspace.Root }, _workspace.Cron);

    private FeatureViewLoadResult LoadView(string yaml) => Views.LoadFile(_workspace.Write("features/view.yaml", yaml), "view.yaml");

    private LoadResult LoadPipeline(string yaml) => _workspace.Loader.LoadFile(_workspace.Write("pipelines/rentals.yaml", yaml), "rentals.yaml");

    [Test]
    public void LoadFile_CompleteView_EveryKeyRead()
    {
        var result = LoadView(View);

        Assert.That(result.Errors, Is.Empty);
        var view = result.View!;
        Assert.Multiple(() =>
        {
            Assert.That(view.Entity, Is.EqualTo(new[] { "station_id" }));
            Assert.That(view.Timestamp, Is.EqualTo("ended_at"));
            Assert.That(view.Ttl, Is.EqualTo(TimeSpan.FromDays(2)));
            Assert.That(view.OnlineRefresh, Is.EqualTo("0 0/5 * * * ?"));
            Assert.That(view.Features.Select(f => (f.Name, f.Aggregation, f.Column, f.Window)), Is.EqualTo(new (string, FeatureAggregation, string?, TimeSpan?)[]
            {
                ("trips_1h", FeatureAggregation.Count, null, TimeSpan.FromHours(1)),
                ("mean_minutes_7d", FeatureAggregation.Mean, "minutes", TimeSpan.FromDays(7)),
                ("riders_24h", FeatureAggregation.DistinctCount, "rider", TimeSpan.FromHours(24)),
                ("last_bikes", FeatureAggregation.Last, "bikes_available", null),
            }));
            Assert.That(view.Hash, Has.Length.EqualTo(64));
        });
    }

    [Test]
    public void LoadFile_LayoutChanged_SameHash_DefinitionChanged_NewHash()
    {
        var first = LoadView(View).View!.Hash;
        var relaid = LoadView("# a comment\n" + View.Replace("{ agg: count, window: 1h }", "{ window: 1h, agg: count }", StringComparison.Ordinal)).View!.Hash;
        var changed = LoadView(View.Replace("window: 1h", "window: 2h", StringComparison.Ordinal)).View!.Hash;

        Assert.That((relaid, changed == first), Is.EqualTo((first, false)));
    }

    [TestCase("  trips_1h: { agg: count, window: 1h }", "  trips_1h: { agg: cnt, window: 1h }", "features.trips_1h.agg", 9, 20, "unknown value 'cnt'; did you mean 'count'?")]
    [TestCase("  trips_1h: { agg: count, window: 1h }", "  trips_1h: { agg: count, window: 1 hour }", "features.trips_1h.window", 9, 35, "invalid duration '1 hour'")]
    [TestCase("  mean_minutes_7d: { agg: mean, column: minutes, window: 7d }", "  mean_minutes_7d: { agg: mean, column: note, window: 7d }", "features.mean_minutes_7d.column", 10, 41, "'mean' needs a numeric column, but 'note' holds 'ok' on line 2")]
    [TestCase("  mean_minutes_7d: { agg: mean, column: minutes, window: 7d }", "  mean_minutes_7d: { agg: mean, column: minuts, window: 7d }", "features.mean_minutes_7d.column", 10, 41, "column 'minuts' does not exist in the source; did you mean 'minutes'?")]
    [TestCase("  mean_minutes_7d: { agg: mean, column: minutes, window: 7d }", "  mean_minutes_7d: { agg: mean, window: 7d }", "features.mean_minutes_7d.column", 10, 20, "missing required key 'column'")]
    [TestCase("  trips_1h: { agg: count, window: 1h }", "  trips_1h: { agg: count, column: minutes, window: 1h }", "features.trips_1h.column", 9, 35, "'count' counts events and takes no column")]
    [TestCase("  trips_1h: { agg: count, window: 1h }", "  trips_1h: { agg: count, widow: 1h }", "features.trips_1h.widow", 9, 27, "unknown key 'widow' in 'features.trips_1h'; did you mean 'window'?")]
    [TestCase("entity: station_id", "entity: station", "entity[0]", 5, 9, "entity column 'station' does not exist in the source")]
    [TestCase("entity: station_id", "entity: []", "entity", 5, 9, "a feature view needs at least one entity (key) column")]
    [TestCase("timestamp: ended_at", "timestamp: ended", "timestamp", 7, 12, "timestamp column 'ended' does not exist in the source")]
    [TestCase("kind: feature_view", "kind: pipeline", "kind", 2, 7, "unknown kind 'pipeline'")]
    [TestCase("name: station_activity", "name: Station-Activity", "name", 3, 7, "invalid view name 'Station-Activity'")]
    [TestCase("online: { refresh: \"0 0/5 * * * ?\" }", "online: { refresh: \"*/5 * * * *\" }", "online.refresh", 14, 20, "invalid cron '*/5 * * * *'")]
    public void LoadFile_BadDefinition_ErrorAtItsPosition(string line, string replacement, string path, int row, int column, string message)
    {
        var result = LoadView(View.Replace(line, replacement, StringComparison.Ordinal));

        Assert.That(result.View, Is.Null);
        Assert.That(result.Errors.Select(e => (e.File, e.Line, e.Column, e.Path)), Is.EqualTo(new[] { ("view.yaml", row, column, path) }), string.Join('\n', result.Errors));
        Assert.That(result.Errors[0].Message, Does.StartWith(message));
    }

    [Test]
    public void LoadFile_WindowWithoutTimestamp_ErrorAtEachWindowAndTtl()
    {
        var result = LoadView(View.Replace("timestamp: ended_at\n", "", StringComparison.Ordinal));

        Assert.That(result.Errors.Select(e => e.Path), Is.EqualTo(new[] { "features.trips_1h.window", "features.mean_minutes_7d.window", "features.riders_24h.window", "ttl" }));
        Assert.That(result.Errors[0].Message, Does.StartWith("a window needs 'timestamp' (the event time column) in the view"));
    }

    [Test]
    public void LoadFolder_TwoViewsOfOneName_SecondRefused()
    {
        _workspace.Write("features/a.yaml", View);
        _workspace.Write("features/b.yaml", View);

        var set = Views.LoadFolder(Path.Combine(_workspace.Root, "features"));

        Assert.That(set.Views.Select(v => v.Name), Is.EqualTo(new[] { "station_activity" }));
        Assert.That(set.Results[1].Errors.Single().Message, Does.Contain("feature view name 'station_activity' is already used by"));
    }

    [Test]
    public void Pipeline_FeaturesOfAView_ResolvedWithTheirColumns()
    {
        _workspace.Write("features/station_activity.yaml", View);

        var result = LoadPipeline(Pipeline);

        Assert.That(result.Errors, Is.Empty);
        var data = result.Definition!.Spec.Data;
        Assert.That(data.Features.Select(f => f.Column), Is.EqualTo(new[] { "station_activity__trips_1h", "station_activity__mean_minutes_7d" }));
        Assert.That(data.FeatureViews.Select(v => v.Name), Is.EqualTo(new[] { "station_activity" }));
    }

    [TestCase("station_activity:trips_1h,", "station_activty:trips_1h,", "data.features[0]", 7, 14, "unknown feature view 'station_activty'; did you mean 'station_activity'?")]
    [TestCase("station_activity:mean_minutes_7d]", "station_activity:mean_minutes_1d]", "data.features[1]", 7, 41, "feature view 'station_activity' has no feature 'mean_minutes_1d'; did you mean 'mean_minutes_7d'?")]
    [TestCase("station_activity:mean_minutes_7d]", "station_activity]", "data.features[1]", 7, 41, "expected 'view:feature', got 'station_activity'")]
    [TestCase("station_activity:mean_minutes_7d]", "station_activity:trips_1h]", "data.features[1]", 7, 41, "feature 'station_activity:trips_1h' is listed twice")]
    [TestCase("  timestamp: ts\n", "", "data.features", 6, 13, "features are joined to each row as of its time, so they need 'data.timestamp'")]
    public void Pipeline_BadFeatureReference_ErrorAtTheEntry(string text, string replacement, string path, int row, int column, string message)
    {
        _workspace.Write("features/station_activity.yaml", View);

        var errors = LoadPipeline(Pipeline.Replace(text, replacement, StringComparison.Ordinal)).Errors;

        Assert.That(errors.Select(e => (e.File, e.Line, e.Column, e.Path)), Is.EqualTo(new[] { ("rentals.yaml", row, column, path) }), string.Join('\n', errors));
        Assert.That(errors[0].Message, Does.StartWith(message));
    }

    [Test]
    public void Pipeline_LabelRowsWithoutTheEntity_Error()
    {
        _workspace.Write("features/station_activity.yaml", View);
        _workspace.Write("data/rentals.csv", "station,ts,rentals\ns1,2024-01-01T01:00:00Z,3\n");

        var errors = LoadPipeline(Pipeline).Errors;

        Assert.That(errors.Select(e => e.Message), Has.Some.EqualTo("feature view 'station_activity' is keyed by 'station_id', but the data has no column 'station_id'"));
    }

    [Test]
    public void Pipeline_ViewWithErrors_NamedAtTheEntry()
    {
        _workspace.Write("features/station_activity.yaml", View.Replace("agg: count", "agg: cnt", StringComparison.Ordinal));

        var errors = LoadPipeline(Pipeline).Errors;

        Assert.That(errors.Select(e => e.Message), Has.All.Contains("feature view 'station_activity' has 1 error(s)"));
    }

    [Test]
    public void Pipeline_NoFeaturesFolder_SaysWhereItLooked()
    {
        var errors = LoadPipeline(Pipeline).Errors;

        Assert.That(errors[0].Message, Does.Contain("there is no features folder next to the pipeline"));
    }
}
