using System.Text.Json;
using MlOpsOrchestrator.Cli.Tests.Api;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Features;

/// <summary>
/// <c>mlops features materialize</c> and <c>mlops features get</c> without <c>--at</c> (the online store, now), on a few
/// trips whose features at 09:30 are worked out by hand: s1 has trips at 08:00 (10 min, rider a, 5 bikes), 08:40
/// (20, b, 6) and 09:10 (30, a, 7).
/// </summary>
[TestFixture]
public sealed class FeatureOnlineCommandsTests
{
    private const string View = """
        version: 1
        kind: feature_view
        name: activity
        entity: station_id
        source: { type: csv, path: ../data/trips.csv }
        timestamp: ended_at
        features:
          trips_1h: { agg: count, window: 1h }
          mean_minutes_2h: { agg: mean, column: minutes, window: 2h }
          riders_2h: { agg: distinct_count, column: rider, window: 2h }
          last_bikes: { agg: last, column: bikes }
        ttl: 1h
        """;

    private const string Trips = """
        station_id,ended_at,minutes,rider,bikes
        s1,2025-03-01T08:00:00Z,10,a,5
        s1,2025-03-01T08:40:00Z,20,b,6
        s1,2025-03-01T09:10:00Z,30,a,7
        s2,2025-03-01T09:00:00Z,40,c,1

        """;

    private TempFolder _folder = null!;
    private ManualTime _time = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        _folder.Write("features/activity.yaml", View);
        _folder.Write("data/trips.csv", Trips);
        _time = new ManualTime();
        _time.Advance(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero) - _time.GetUtcNow());
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public async Task Get_WithoutAt_BeforeAnyMaterialization_FailsNamingTheMaterializeCommand()
    {
        var result = await Mlops("features", "get", "activity", "--entity", "s1");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain("has no online data yet; run 'mlops features materialize activity'"));
    }

    [Test]
    public async Task Get_WithoutAt_AfterMaterialize_TheOnlineValuesNowEqualTheOfflineValuesAtTheSameInstant()
    {
        var materialized = await Mlops("features", "materialize", "activity");
        var online = await Mlops("features", "get", "activity", "--entity", "s1", "--json");
        var offline = await Mlops("features", "get", "activity", "--entity", "s1", "--at", "2025-03-01T09:30:00Z", "--json");

        Assert.That(materialized.ExitCode, Is.Zero, materialized.ToString());
        Assert.That(materialized.Stdout.Trim(), Is.EqualTo("activity: first materialization; 4 source rows read, 4 events appended; online: 4 events of 2 entities, watermark 2025-03-01T09:10:00Z"));
        Assert.That(online.ExitCode, Is.Zero, online.ToString());
        Assert.That(online.Stderr, Does.Contain("activity: online store, refreshed 2025-03-01T09:30:00Z, watermark 2025-03-01T09:10:00Z; 3 events of the entity, newest 2025-03-01T09:10:00Z"));
        var values = Values(online.Stdout);
        Assert.That(values, Is.EqualTo(new Dictionary<string, double?> { ["trips_1h"] = 2, ["mean_minutes_2h"] = 20, ["riders_2h"] = 2, ["last_bikes"] = 7 }));
        Assert.That(values, Is.EqualTo(Values(offline.Stdout)));
    }

    [Test]
    public async Task Materialize_AfterTheFileGrew_AppendsOnlyTheNewRowAndGetSeesIt()
    {
        await Mlops("features", "materialize", "activity");
        _folder.Write("data/trips.csv", Trips + "s1,2025-03-01T09:20:00Z,40,d,8\n");
        _time.Advance(TimeSpan.FromMinutes(10));

        var again = await Mlops("features", "materialize", "activity");
        var online = await Mlops("features", "get", "activity", "--entity", "s1", "--json");

        Assert.That(again.Stdout.Trim(), Is.EqualTo("activity: incremental from the watermark; 5 source rows read, 1 events appended; online: 5 events of 2 entities, watermark 2025-03-01T09:20:00Z"), again.ToString());
        Assert.That(Values(online.Stdout), Is.EqualTo(new Dictionary<string, double?> { ["trips_1h"] = 2, ["mean_minutes_2h"] = 25, ["riders_2h"] = 3, ["last_bikes"] = 8 }));
    }

    [Test]
    public async Task Materialize_Later_DropsEventsNoWindowOrTtlCanUse_AndValuesStillEqualOffline()
    {
        await Mlops("features", "materialize", "activity");
        _time.Advance(TimeSpan.FromMinutes(75));

        var later = await Mlops("features", "materialize", "activity");
        var online = await Mlops("features", "get", "activity", "--entity", "s1", "--json");
        var offline = await Mlops("features", "get", "activity", "--entity", "s1", "--at", "2025-03-01T10:45:00Z", "--json");

        Assert.That(later.Stdout.Trim(), Is.EqualTo("activity: incremental from the watermark; 4 source rows read, 0 events appended; online: 2 events of 2 entities, watermark 2025-03-01T09:10:00Z"),
            "at 10:45 the longest window (2h) starts after 08:45: the events of 08:00 and 08:40 can never count again");
        var values = Values(online.Stdout);
        Assert.That(values, Is.EqualTo(new Dictionary<string, double?> { ["trips_1h"] = 0, ["mean_minutes_2h"] = 30, ["riders_2h"] = 1, ["last_bikes"] = null }));
        Assert.That(values, Is.EqualTo(Values(offline.Stdout)));
    }

    [Test]
    public async Task Materialize_UnknownView_BadInput()
    {
        var result = await Mlops("features", "materialize", "activty");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("unknown feature view 'activty'; views: activity"));
    }

    private static Dictionary<string, double?> Values(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? (double?)null : p.Value.GetDouble());

    private async Task<CliResult> Mlops(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MlOpsCli.RunAsync([.. args, "--features", _folder.Combine("features"), "--home", _folder.Combine("home"), "--data-root", _folder.Path], stdout, stderr, CancellationToken.None, _time);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
