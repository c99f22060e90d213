using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>A <c>postgres</c> source against a real PostgreSQL server: the query, <c>@watermark</c>, typed columns.</summary>
[TestFixture]
[Category("Postgres")]
public sealed class PostgresSourceTests
{
    private const string Query = "select ts, temp, city, windy, day, label from readings where ts > @watermark order by ts";
    private DataPrepHarness _harness = null!;

    [SetUp]
    public async Task SetUp()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var database = await server.CreateDatabaseAsync("data_prep");
        _harness = new DataPrepHarness();
        _harness.Environment["FEATURES_PG"] = database;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            create table readings (ts timestamptz not null, temp double precision, city text, windy boolean, day date, label numeric);
            insert into readings
              select timestamptz '2024-01-01 00:00:00+00' + make_interval(hours => i), i % 30, (array['Oslo', 'Lima, PE', 'Pune'])[i % 3 + 1],
                     i % 2 = 0, date '2024-01-01' + i / 24, i * 2 + 1
              from generate_series(0, 99) as i;
            update readings set temp = null where extract(hour from ts) = 5;
            """,
            connection);
        await command.ExecuteNonQueryAsync();
    }

    [TearDown]
    public void TearDown() => _harness?.Dispose();

    private static string Pipeline(string query = Query) => DataPrepHarness.Pipeline(
        $"""
        source:
          type: postgres
          connection: ${"{"}env:FEATURES_PG{"}"}
          query: "{query}"
        timestamp: ts
        label: label
        schema:
          temp: {"{"} type: float, missing: mean {"}"}
        """);

    [Test]
    public async Task Execute_FullRun_ReadsEveryRowWithTypesFromTheValues()
    {
        var outcome = await _harness.SucceedAsync(Pipeline());

        var prepared = _harness.Prepared(outcome);
        var types = prepared.Schema.Columns.ToDictionary(c => c.Name, c => c.Type);
        var cities = DataViewReader.Strings(prepared.Train, "city").Concat(DataViewReader.Strings(prepared.Test, "city"));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(100));
            Assert.That(TypedResults.Iso(outcome.Prep().Watermark), Is.EqualTo("2024-01-05T03:00:00Z"));
            Assert.That(types["city"], Is.EqualTo(ColumnType.Categorical));
            Assert.That(types["windy"], Is.EqualTo(ColumnType.Boolean));
            Assert.That(types["day"], Is.EqualTo(ColumnType.Datetime));
            Assert.That(types["label"], Is.EqualTo(ColumnType.Int));
            Assert.That(cities.Distinct(), Is.EquivalentTo(new[] { "Oslo", "Lima, PE", "Pune" }));
            Assert.That(DataViewReader.Column<float>(prepared.Train, "temp").Count(float.IsNaN), Is.GreaterThan(0), "NULL is missing");
        });
    }

    [Test]
    public async Task Execute_Incremental_BindsTheWatermark()
    {
        await _harness.Watermarks.SetAsync("data-test", new DateTimeOffset(2024, 1, 4, 23, 0, 0, TimeSpan.Zero), "run-0", default);

        var outcome = await _harness.SucceedAsync(Pipeline(), RunMode.Incremental);

        Assert.That(outcome.Prep().Rows, Is.EqualTo(4));
    }

    [Test]
    public async Task Execute_IncrementalNothingNew_IsEmpty()
    {
        await _harness.Watermarks.SetAsync("data-test", new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), "run-0", default);

        var outcome = await _harness.SucceedAsync(Pipeline(), RunMode.Incremental);

        Assert.That(outcome.Prep().Empty, Is.True);
    }

    [Test]
    public async Task Execute_QueryWithoutWatermark_StillRuns()
    {
        var outcome = await _harness.SucceedAsync(Pipeline("select * from readings"));

        Assert.That(outcome.Prep().Rows, Is.EqualTo(100));
    }

    [Test]
    public async Task Execute_BrokenQuery_FailsWithTheServerMessage()
    {
        var message = await _harness.FailAsync(Pipeline("select * from no_such_table where ts > @watermark"));

        Assert.That(message, Does.Contain("the postgres query failed").And.Contain("no_such_table"));
    }

    [Test]
    public async Task Execute_LabelMissingFromResult_NamesTheColumns()
    {
        var message = await _harness.FailAsync(Pipeline("select ts, temp from readings"));

        Assert.That(message, Does.Contain("the label column 'label' is not in the postgres query (its columns: 'ts', 'temp')"));
    }
}
