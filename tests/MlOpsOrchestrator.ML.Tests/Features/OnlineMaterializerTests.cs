using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.ML.Tests.Data;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Features;

/// <summary>
/// Materialization to the online store from a watermark: a source that grows between two materializations gives,
/// read from the online store with the training join's aggregation code, the same values as a full rebuild and as the
/// definition worked out event by event; the second materialization appends only the new events (a query that selects
/// by <c>@watermark</c> returns only the new rows), and a changed definition is rebuilt whole.
/// </summary>
[TestFixture]
public sealed class OnlineMaterializerTests
{
    private static readonly DateTimeOffset Now = new(FeatureWorld.Start.AddDays(4));
    private static readonly DateTime Cut = FeatureWorld.Start.AddHours(36);

    private FeatureWorld _world = null!;
    private List<FeatureWorld.Trip> _later = null!;
    private readonly List<StorageSet> _stores = [];

    [SetUp]
    public void SetUp()
    {
        _world = new FeatureWorld();
        _world.Generate(seed: 11, stations: 5, trips: 1200, rentals: 0);
        _later = [.. _world.Trips.Where(t => t.At > Cut)];
        _world.Trips.RemoveAll(t => t.At > Cut);
    }

    [TearDown]
    public async Task TearDown()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _stores.Clear();
        _world.Dispose();
    }

    [Test]
    public async Task Materialize_CsvThatGrew_AppendsOnlyNewEvents_AndValuesEqualAFullRebuildAndTheBruteForce()
    {
        _world.WriteFiles();
        var incremental = await SqliteAsync("incremental");
        var first = await MaterializeAsync(incremental, full: false);
        _world.Trips.AddRange(_later);
        _world.WriteFiles();

        var second = await MaterializeAsync(incremental, full: false);
        var rebuiltStore = await SqliteAsync("rebuilt");
        var rebuilt = await MaterializeAsync(rebuiltStore, full: false);

        Assert.Multiple(() =>
        {
            Assert.That((first.Full, first.EventsAppended), Is.EqualTo((true, (long)(_world.Trips.Count - _later.Count))));
            Assert.That((second.Full, second.EventsAppended, second.RowsRead), Is.EqualTo((false, (long)_later.Count, (long)_world.Trips.Count)), "a file is scanned, but only rows after the watermark become events");
            Assert.That(second.State.Watermark, Is.EqualTo(_world.Trips.Max(t => t.At).Ticks));
            Assert.That((second.State.Events, second.State.Entities), Is.EqualTo((rebuilt.State.Events, rebuilt.State.Entities)));
        });
        await AssertSameValuesAsync(incremental, rebuiltStore);
    }

    [Test]
    [Category("Postgres")]
    public async Task Materialize_QueryThatGrew_ReadsOnlyTheNewRows_AndValuesEqualAFullRebuildAndTheBruteForce()
    {
        var database = await (await PostgresTestEnvironment.RequireAsync()).CreateDatabaseAsync("online_features");
        _world.Harness.Environment["TRIPS_PG"] = database;
        _world.Harness.Write("features/station_activity.yaml", FeatureWorld.View.Replace(
            "source: { type: csv, path: ../trips.csv }",
            "source: { type: postgres, connection: \"${env:TRIPS_PG}\", query: \"select station_id, ended_at, minutes, rider, bikes from trips where ended_at > @watermark order by id\" }",
            StringComparison.Ordinal));
        _world.WriteFiles();
        await ExecuteAsync(database, "create table trips (id serial primary key, station_id text, ended_at timestamptz, minutes double precision, rider text, bikes integer)");
        await InsertAsync(database, _world.Trips);
        var incremental = await MlOpsStorage.OpenPostgresAsync(database, Path.GetDirectoryName(_world.Harness.Write("home-pg/.keep", ""))!, CancellationToken.None);
        _stores.Add(incremental);
        await MaterializeAsync(incremental, full: false);
        await InsertAsync(database, _later);
        _world.Trips.AddRange(_later);

        var second = await MaterializeAsync(incremental, full: false);
        var rebuiltStore = await SqliteAsync("rebuilt");
        var rebuilt = await MaterializeAsync(rebuiltStore, full: true);

        Assert.That((second.Full, second.RowsRead, second.EventsAppended), Is.EqualTo((false, (long)_later.Count, (long)_later.Count)));
        Assert.That(rebuilt.RowsRead, Is.EqualTo(_world.Trips.Count));
        await AssertSameValuesAsync(incremental, rebuiltStore);
    }

    [Test]
    public async Task Materialize_DefinitionChanged_RebuildsWhole()
    {
        _world.WriteFiles();
        var store = await SqliteAsync("changed");
        await MaterializeAsync(store, full: false);
        _world.Harness.Write("features/station_activity.yaml", FeatureWorld.View.Replace("trips_1h: { agg: count, window: 1h }", "trips_1h: { agg: count, window: 90m }", StringComparison.Ordinal));

        var again = await MaterializeAsync(store, full: false);

        Assert.That((again.Full, again.Reason, again.EventsAppended), Is.EqualTo((true, "the view's definition changed: full rebuild", (long)_world.Trips.Count)));
    }

    private async Task AssertSameValuesAsync(StorageSet incremental, StorageSet rebuilt)
    {
        var view = View();
        var names = view.Features.Select(f => f.Name).ToList();
        var stations = Enumerable.Range(0, 6).Select(i => $"s{i}").ToList();
        var times = new[] { Cut, Cut.AddMinutes(10), FeatureWorld.Start.AddHours(60).AddSeconds(1), Now.UtcDateTime };
        foreach (var station in stations)
        {
            foreach (var at in times)
            {
                var a = await new OnlineFeatureReader(incremental.OnlineFeatures).ValuesAsync(view, names, [station], at, CancellationToken.None);
                var b = await new OnlineFeatureReader(rebuilt.OnlineFeatures).ValuesAsync(view, names, [station], at, CancellationToken.None);
                var expected = _world.BruteForce(new FeatureWorld.Rental(station, at, 0));
                Assert.That(a.Values.Values, Is.EqualTo(b.Values.Values), $"{station} at {at:O}: incremental against rebuilt");
                for (var f = 0; f < expected.Length; f++)
                {
                    Assert.That(a.Values[names[f]], expected[f] is null ? Is.Null : Is.EqualTo(expected[f]!.Value).Within(1e-9).Percent, $"{station} at {at:O}, {names[f]}");
                }
            }
        }
    }

    private FeatureViewSpec View() => _world.Data().FeatureViews.Single();

    private async Task<OnlineMaterialization> MaterializeAsync(StorageSet store, bool full)
    {
        var (result, problem) = await new OnlineMaterializer(store.OnlineFeatures, TestSources.BuiltIn, new FixedTime(Now))
            .MaterializeAsync(View(), full, _world.Harness.Progress.Add, CancellationToken.None);
        return result ?? throw new InvalidOperationException(problem);
    }

    private async Task<StorageSet> SqliteAsync(string name)
    {
        var home = Path.GetDirectoryName(_world.Harness.Write($"{name}/.keep", ""))!;
        var store = await MlOpsStorage.OpenSqliteAsync(home, CancellationToken.None);
        _stores.Add(store);
        return store;
    }

    private static async Task InsertAsync(string database, IEnumerable<FeatureWorld.Trip> trips)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var trip in trips)
        {
            await using var command = new NpgsqlCommand("insert into trips (station_id, ended_at, minutes, rider, bikes) values ($1, $2, $3, $4, $5)", connection);
            command.Parameters.AddWithValue(trip.Station);
            command.Parameters.AddWithValue(trip.At);
            command.Parameters.AddWithValue(trip.Minutes is { } m ? m : DBNull.Value);
            command.Parameters.AddWithValue(trip.Rider is { } r ? r : DBNull.Value);
            command.Parameters.AddWithValue(trip.Bikes is { } b ? b : DBNull.Value);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
