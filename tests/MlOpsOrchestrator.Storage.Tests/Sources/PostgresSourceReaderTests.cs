using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage.Sources;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests.Sources;

/// <summary>The <c>postgres</c> source reader against a real server: values exactly as fetched, the spool gone after use.</summary>
[Category("Postgres")]
public sealed class PostgresSourceReaderTests
{
    private static readonly SourceMark Mark = new(1, 1);

    [Test]
    public async Task OpenAsync_ValuesWithSeparatorsQuotesAndNewlines_AreReadBackExactlyTwice()
    {
        var database = await (await PostgresTestEnvironment.RequireAsync()).CreateDatabaseAsync("sources");
        using var source = await OpenAsync(database,
            "select 'a,b' as comma, e' two\\r\\nlines ' as spaced, 'say \"hi\"' as quoted, null::text as nothing, 1.5::float8 as number, "
            + "timestamptz '2024-03-01 12:00:00+00' as ts, true as flag, ts > @watermark as fresh "
            + "from (select timestamptz '2024-01-01 00:00:00+00' as ts) t");

        Assert.That(source.Columns, Is.EqualTo(new[] { "comma", "spaced", "quoted", "nothing", "number", "ts", "flag", "fresh" }));
        Assert.That(source.HasLines, Is.False);
        Assert.That(source.FiltersByWatermark, Is.True);
        for (var pass = 0; pass < 2; pass++)
        {
            using var cursor = source.OpenRecords();
            Assert.That(cursor.Read(), Is.True);
            var record = cursor.Record;
            var fields = Enumerable.Range(0, record.FieldCount).Select(record.FieldText).ToList();
            Assert.That(fields, Is.EqualTo(new[] { "a,b", " two\r\nlines ", "say \"hi\"", "", "1.5", "2024-03-01T12:00:00Z", "true", "true" }));
            Assert.That(record.Error, Is.Null);
            Assert.That(cursor.Read(), Is.False);
        }
    }

    [Test]
    public async Task Dispose_DeletesTheSpool()
    {
        var database = await (await PostgresTestEnvironment.RequireAsync()).CreateDatabaseAsync("sources");
        var source = await OpenAsync(database, "select generate_series(1, 10) as n");
        var spool = ((PostgresSpool)source).Path;
        Assert.That(File.Exists(spool), Is.True);

        source.Dispose();

        Assert.That(File.Exists(spool), Is.False);
    }

    [Test]
    public async Task OpenAsync_RepeatedColumnName_IsAProblemNamingIt()
    {
        var database = await (await PostgresTestEnvironment.RequireAsync()).CreateDatabaseAsync("sources");
        var opening = await new PostgresSourceReader().OpenAsync(Request(database, "select 1 as a, 2 as a, 3 as b"), CancellationToken.None);

        Assert.That(opening.Source, Is.Null);
        Assert.That(opening.Problem, Is.EqualTo("the postgres query: the header names 'a' more than once; column names must be unique"));
    }

    [Test]
    public async Task OpenAsync_BadQuery_IsAProblemNotAnException()
    {
        var database = await (await PostgresTestEnvironment.RequireAsync()).CreateDatabaseAsync("sources");
        var opening = await new PostgresSourceReader().OpenAsync(Request(database, "select * from no_such_table"), CancellationToken.None);

        Assert.That(opening.Source, Is.Null);
        Assert.That(opening.Problem, Does.StartWith("the postgres query failed: ").And.Contain("no_such_table"));
    }

    private static async Task<IRecordSource> OpenAsync(string database, string query)
    {
        var opening = await new PostgresSourceReader().OpenAsync(Request(database, query), CancellationToken.None);
        Assert.That(opening.Problem, Is.Null);
        return opening.Source!;
    }

    private static SourceRequest Request(string database, string query) => new()
    {
        Source = new SourceSpec { Type = SourceType.Postgres, Connection = database, Query = query, Mark = Mark },
        Watermark = new DateTimeOffset(2023, 12, 31, 0, 0, 0, TimeSpan.Zero),
    };
}
