using MlOpsOrchestrator.ML.Features;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Features;

/// <summary>
/// The point-in-time join on real CSV files: every value of every row agrees with a brute-force computation of the
/// definition, no event after a row's time ever counts, ttl makes an old <c>last</c> missing, and the external sort
/// (forced to spill in small chunks) gives the same answer as one in memory.
/// </summary>
[TestFixture]
public sealed class PointInTimeJoinTests
{
    private FeatureWorld _world = null!;

    [SetUp]
    public void SetUp() => _world = new FeatureWorld();

    [TearDown]
    public void TearDown() => _world.Dispose();

    [TestCase(1, 4, 3000, 800, 1 << 20)]
    [TestCase(2, 12, 5000, 1500, 256)]
    [TestCase(3, 1, 400, 300, 64)]
    public async Task Build_RandomData_EveryValueAsTheBruteForce(int seed, int stations, int trips, int rentals, int chunk)
    {
        _world.Generate(seed, stations, trips, rentals);
        _world.WriteFiles();

        var (rows, set) = await _world.BuildAsync(chunk);
        using (set)
        {
            Assert.That(rows, Has.Count.EqualTo(rentals));
            for (var i = 0; i < rentals; i++)
            {
                var expected = _world.BruteForce(_world.Rentals[i]);
                for (var f = 0; f < expected.Length; f++)
                {
                    Assert.That(rows[i][f], expected[f] is null ? Is.Null : Is.EqualTo(expected[f]!.Value).Within(1e-9).Percent, $"row {i + 1} ({_world.Rentals[i]}), feature {f + 1}");
                }
            }
        }
    }

    [Test]
    public async Task Build_EventsAfterEveryRow_ChangeNothing()
    {
        _world.Generate(seed: 7, stations: 5, trips: 2000, rentals: 600);
        _world.WriteFiles();
        var (before, first) = await _world.BuildAsync(chunk: 128);
        first.Dispose();

        // Events one second after each row's time, with values no real event has: any leak shows in some feature.
        foreach (var rental in _world.Rentals)
        {
            _world.Trips.Add(new FeatureWorld.Trip(rental.Station, rental.At.AddSeconds(1).AddDays(10), 1e6, "leak", 999));
        }

        foreach (var station in _world.Rentals.Select(r => r.Station).Distinct())
        {
            _world.Trips.Add(new FeatureWorld.Trip(station, _world.Rentals.Max(r => r.At).AddSeconds(1), 1e6, "leak", 999));
        }

        _world.WriteFiles();
        var (after, second) = await _world.BuildAsync(chunk: 128);
        second.Dispose();

        Assert.That(after, Is.EqualTo(before));
    }

    [Test]
    public async Task Build_EventAtTheRowsTime_Counts_EventOneWindowBefore_DoesNot()
    {
        var t = FeatureWorld.Start.AddHours(5);
        _world.Trips.Add(new("s1", t.AddHours(-1), 10, "ann", 1));            // t - window: outside
        _world.Trips.Add(new("s1", t.AddHours(-1).AddSeconds(1), 20, "bob", 2)); // just inside
        _world.Trips.Add(new("s1", t, 30, "cy", 3));                           // at t: inside
        _world.Trips.Add(new("s1", t.AddSeconds(1), 40, "dee", 4));            // after t: never
        _world.Rentals.Add(new("s1", t, 1));
        _world.WriteFiles();

        var (rows, set) = await _world.BuildAsync();
        set.Dispose();

        Assert.That(rows[0][0], Is.EqualTo(2), "trips_1h");
        Assert.That(rows[0][1], Is.EqualTo(3), "trips_all");
        Assert.That(rows[0][7], Is.EqualTo(3), "last_bikes");
    }

    [Test]
    public async Task Build_LastOlderThanTtl_Missing_CountsStayZeroNotMissing()
    {
        var t = FeatureWorld.Start.AddDays(1);
        _world.Trips.Add(new("s1", t.AddHours(-2), 10, "ann", 7));
        _world.Rentals.Add(new("s1", t, 1));                 // exactly ttl old: kept
        _world.Rentals.Add(new("s1", t.AddSeconds(1), 1));   // one second older than ttl: missing
        _world.Rentals.Add(new("s9", t, 1));                 // no events at all
        _world.WriteFiles();

        var (rows, set) = await _world.BuildAsync();
        set.Dispose();

        Assert.That(rows.Select(r => r[7]), Is.EqualTo(new double?[] { 7, null, null }));
        Assert.That(rows[2], Is.EqualTo(new double?[] { 0, 0, 0, null, null, null, 0, null, null }));
    }
}
