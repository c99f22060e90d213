using MlOpsOrchestrator.TestSupport;
using System.Text.Json;
using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Features;

/// <summary>
/// <c>mlops features</c>, <c>features get</c>, <c>features export</c>, and feature views in <c>validate</c> and
/// <c>plan</c>, on a few trips whose features are worked out by hand below.
/// </summary>
[TestFixture]
public sealed class FeatureCommandsTests
{
    private const string View = """
        version: 1
        kind: feature_view
        name: activity
        owner: mobility
        entity: station_id
        source: { type: csv, path: ../data/trips.csv }
        timestamp: ended_at
        features:
          trips_1h: { agg: count, window: 1h }
          mean_minutes_2h: { agg: mean, column: minutes, window: 2h }
          riders_2h: { agg: distinct_count, column: rider, window: 2h }
          last_bikes: { agg: last, column: bikes }
        ttl: 1h
        online: { refresh: "0 0/5 * * * ?" }
        """;

    private const string Pipeline = """
        version: 1
        name: rentals
        data:
          source: { type: csv, path: ../data/rentals.csv }
          timestamp: ts
          label: rentals
          features: [activity:trips_1h, activity:last_bikes]
        steps:
          - { id: prep, kind: data_prep }
        """;

    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        _folder.Write("features/activity.yaml", View);
        _folder.Write("pipelines/rentals.yaml", Pipeline);
        _folder.Write("data/trips.csv", """
            station_id,ended_at,minutes,rider,bikes
            s1,2025-03-01T08:00:00Z,10,a,5
            s1,2025-03-01T08:40:00Z,20,b,6
            s1,2025-03-01T09:10:00Z,30,a,7
            s2,2025-03-01T09:00:00Z,40,c,1

            """);
        _folder.Write("data/rentals.csv", """
            station_id,ts,rentals
            s1,2025-03-01T09:00:00Z,3
            s2,2025-03-01T09:30:00Z,1
            s1,2025-03-01T10:30:00Z,2

            """);
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private Task<CliResult> Mlops(params string[] args) =>
        CliRun.RunAsync([.. args, "--home", _folder.Combine("home"), "--data-root", _folder.Path]);

    [TestCase("2025-03-01T09:00:00Z", 1, 15.0, 2, 6.0)]
    [TestCase("2025-03-01T10:30:00Z", 0, 25.0, 2, null)]
    [TestCase("2025-03-01T07:59:59Z", 0, null, 0, null)]
    public async Task Get_AsOfATime_TheValuesThenAndNothingLater(string at, int trips, double? mean, int riders, double? last)
    {
        var result = await Mlops("features", "get", "activity", "--entity", "s1", "--at", at, "--features", _folder.Combine("features"), "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var values = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("values");
        double? Value(string name) => values.GetProperty(name).ValueKind == JsonValueKind.Null ? null : values.GetProperty(name).GetDouble();
        Assert.That((Value("trips_1h"), Value("mean_minutes_2h"), Value("riders_2h"), Value("last_bikes")), Is.EqualTo(((double?)trips, mean, (double?)riders, last)));
    }

    [Test]
    public async Task Get_Twice_SecondReusesTheMaterialization()
    {
        var first = await Mlops("features", "get", "activity", "--entity", "s1", "--at", "2025-03-02T00:00:00Z", "--features", _folder.Combine("features"));
        var second = await Mlops("features", "get", "activity", "--entity", "s1", "--at", "2025-03-02T00:00:00Z", "--features", _folder.Combine("features"));

        Assert.That(first.Stderr, Does.Contain("activity: materialized"), first.ToString());
        Assert.That(second.Stderr, Does.Contain("activity: reused"), second.ToString());
        Assert.That(second.Stdout, Does.Contain("last_bikes       (missing)"));
    }

    [Test]
    public async Task Export_AtATime_TheRowsThenWithTheirPointInTimeFeatures()
    {
        var output = _folder.Combine("out", "training.csv");

        var result = await Mlops("features", "export", _folder.Combine("pipelines", "rentals.yaml"), "--out", output, "--at", "2025-03-01T10:00:00Z");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(File.ReadAllLines(output), Is.EqualTo(new[]
        {
            "station_id,ts,rentals,activity__trips_1h,activity__last_bikes",
            "s1,2025-03-01T09:00:00Z,3,1,6",
            "s2,2025-03-01T09:30:00Z,1,1,1",
        }));
    }

    [Test]
    public async Task List_ViewsWithTheirUsersAndFreshness()
    {
        var before = await Mlops("features", "--features", _folder.Combine("features"), "--json");
        await Mlops("features", "get", "activity", "--entity", "s1", "--at", "2025-03-02T00:00:00Z", "--features", _folder.Combine("features"));
        var after = await Mlops("features", "--features", _folder.Combine("features"));

        Assert.That(before.ExitCode, Is.Zero, before.ToString());
        var view = JsonDocument.Parse(before.Stdout).RootElement.EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(view.GetProperty("view").GetString(), Is.EqualTo("activity"));
            Assert.That(view.GetProperty("owner").GetString(), Is.EqualTo("mobility"));
            Assert.That(view.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()), Is.EqualTo(new[] { "trips_1h", "mean_minutes_2h", "riders_2h", "last_bikes" }));
            Assert.That(view.GetProperty("usedBy").EnumerateArray().Single().GetProperty("pipeline").GetString(), Is.EqualTo("rentals"));
            Assert.That(view.GetProperty("freshness").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(after.Stdout, Does.Contain("used by: rentals (trips_1h, last_bikes)").And.Contain("4 events, current"));
        });
    }

    [Test]
    public async Task List_WithArtifactsInPostgreSql_ShowsWhatAnotherNodeMaterialized()
    {
        var database = await (await PostgresTestEnvironment.RequireAsync()).CreateDatabaseAsync("features_list");
        string[] On(string home) => ["--features", _folder.Combine("features"), "--home", _folder.Combine(home), "--postgres", database, "--data-root", _folder.Path];

        var got = await CliRun.RunAsync(["features", "get", "activity", "--entity", "s1", "--at", "2025-03-02T00:00:00Z", .. On("node-a")]);
        var listed = await CliRun.RunAsync(["features", .. On("node-b")]);

        Assert.That(got.ExitCode, Is.Zero, got.ToString());
        Assert.That(listed.ExitCode, Is.Zero, listed.ToString());
        Assert.That(listed.Stdout, Does.Contain("4 events, current"), "node B, with an empty home of its own, sees node A's materialization through the database");
    }

    [Test]
    public async Task Validate_FolderWithViewsAndPipelines_ChecksBoth()
    {
        var valid = await CliRun.RunAsync("validate", _folder.Combine("features"), _folder.Combine("pipelines"), "--data-root", _folder.Path);
        _folder.Write("features/activity.yaml", View.Replace("agg: count", "agg: cout", StringComparison.Ordinal));
        var invalid = await CliRun.RunAsync("validate", _folder.Combine("features"), _folder.Combine("pipelines"), "--data-root", _folder.Path);

        Assert.That(valid.ExitCode, Is.Zero, valid.ToString());
        Assert.That(valid.Stderr, Does.Contain("1 pipeline file(s) and 1 feature view file(s) valid"));
        Assert.That(invalid.ExitCode, Is.EqualTo(2));
        Assert.That(invalid.StdoutLines, Has.Some.Match(@"activity\.yaml:9:20: error: features\.trips_1h\.agg: unknown value 'cout'; did you mean 'count'\?"));
        Assert.That(invalid.StdoutLines, Has.Some.Match(@"rentals\.yaml:7:14: error: data\.features\[0\]: feature view 'activity' has 1 error\(s\)"));
    }

    [Test]
    public async Task Plan_ShowsTheViewsAndTheirRefresh()
    {
        var result = await CliRun.RunAsync("plan", _folder.Combine("pipelines", "rentals.yaml"), "--data-root", _folder.Path);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("  activity  features: trips_1h, last_bikes  online refresh cron \"0 0/5 * * * ?\" (UTC)"));
    }
}
