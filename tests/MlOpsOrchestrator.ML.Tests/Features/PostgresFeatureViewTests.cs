using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Features;

/// <summary>
/// A feature view over a PostgreSQL query: the join agrees with the brute force as for a file, a second run reuses
/// the materialization (the query's rows are read only to recognise them), and rows inserted in between are
/// materialized again.
/// </summary>
[TestFixture]
[Category("Postgres")]
public sealed class PostgresFeatureViewTests
{
    private FeatureWorld _world = null!;
    private string _database = "";

    [SetUp]
    public async Task SetUp()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        _database = await server.CreateDatabaseAsync("features");
        _world = new FeatureWorld();
        _world.Harness.Environment["TRIPS_PG"] = _database;
        _world.Harness.Write("features/station_activity.yaml", FeatureWorld.View.Replace(
            "source: { type: csv, path: ../trips.csv }",
            "source: { type: postgres, connection: \"${env:TRIPS_PG}\", query: \"select station_id, ended_at, minutes, rider, bikes from trips order by id\" }",
            StringComparison.Ordinal));
        _world.Generate(seed: 5, stations: 5, trips: 1500, rentals: 300);
        _world.WriteFiles();
        await ExecuteAsync("create table trips (id serial primary key, station_id text, ended_at timestamptz, minutes double precision, rider text, bikes integer)");
        await InsertAsync(_world.Trips);
    }

    [TearDown]
    public void TearDown() => _world?.Dispose();

    [Test]
    public async Task Build_PostgresEvents_EveryValueAsTheBruteForce_ThenReused_ThenRematerializedAfterAnInsert()
    {
        var (rows, first) = await _world.BuildAsync(chunk: 200);
        first.Dispose();
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = _world.BruteForce(_world.Rentals[i]);
            for (var f = 0; f < expected.Length; f++)
            {
                Assert.That(rows[i][f], expected[f] is null ? Is.Null : Is.EqualTo(expected[f]!.Value).Within(1e-9).Percent, $"row {i + 1}, feature {f + 1}");
            }
        }

        var (_, again) = await _world.BuildAsync(chunk: 200);
        var reused = again.Logs.Single();
        again.Dispose();

        var added = new FeatureWorld.Trip("s1", _world.Rentals.Max(r => r.At), 1, "new", 2);
        await InsertAsync([added]);
        var (_, third) = await _world.BuildAsync(chunk: 200);
        var grown = third.Logs.Single();
        third.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That((first.Logs.Single().Reused, reused.Reused, grown.Reused), Is.EqualTo((false, true, false)));
            Assert.That(reused.Key, Is.EqualTo(first.Logs.Single().Key));
            Assert.That(grown.Events, Is.EqualTo(1501));
        });
    }

    private async Task InsertAsync(IEnumerable<FeatureWorld.Trip> trips)
    {
        await using var connection = new NpgsqlConnection(_database);
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

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
