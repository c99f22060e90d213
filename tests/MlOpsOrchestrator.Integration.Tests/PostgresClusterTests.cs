using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests;

public sealed class PostgresClusterTests
{
    [Test]
    public async Task ConnectionString_SelectVersion_IsPostgreSql()
    {
        var server = await PostgresTestEnvironment.RequireAsync();

        var version = await Sql.ScalarAsync<string>(server.ConnectionString, "select version()");

        Assert.That(version, Does.StartWith("PostgreSQL "));
    }

    [Test]
    public async Task CreateDatabaseAsync_TwoDatabases_RoundTripAndStayIsolated()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var first = await server.CreateDatabaseAsync("isolation");
        var second = await server.CreateDatabaseAsync("isolation");

        foreach (var database in new[] { first, second })
        {
            Assert.That(await Sql.ScalarAsync<string>(database, "select version()"), Does.StartWith("PostgreSQL "));
        }

        await Sql.ExecuteAsync(first, "create table runs (id int primary key, pipeline text not null)");
        await Sql.ExecuteAsync(first, "insert into runs values (1, 'taxi-fare')");
        var storedInFirst = await Sql.ScalarAsync<string>(first, "select pipeline from runs where id = 1");
        var absentFromSecond = await Sql.ScalarAsync<bool>(second, "select to_regclass('runs') is null");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PostgresDatabases.DatabaseOf(first), Is.Not.EqualTo(PostgresDatabases.DatabaseOf(second)));
            Assert.That(PostgresDatabases.DatabaseOf(first), Does.StartWith("isolation_"));
            Assert.That(storedInFirst, Is.EqualTo("taxi-fare"));
            Assert.That(absentFromSecond, Is.True, "the table created in the first database must not exist in the second");
        }
    }

    [Test]
    public async Task CreateDatabaseAsync_UnsafeName_IsRejected()
    {
        var server = await PostgresTestEnvironment.RequireAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => server.CreateDatabaseAsync("x\"; drop database postgres; --"));
    }

    [Test]
    public async Task StartAsync_FolderWithoutBinaries_MessageShowsTheFailedCommand()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-postgres-{Guid.NewGuid():N}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresCluster.StartAsync(missing));

        Assert.That(error.Message, Does.Contain("initdb failed").And.Contain(Path.Combine(missing, "initdb")));
    }

    [Test]
    public async Task DisposeAsync_StartedCluster_StopsServerAndDeletesFolder()
    {
        PostgresCluster cluster;
        try
        {
            cluster = await PostgresCluster.StartAsync();
        }
        catch (InvalidOperationException e)
        {
            throw TestAvailability.Unavailable($"PostgreSQL is not available: {e.Message}");
        }

        Assert.That(await Sql.ScalarAsync<int>(cluster.ConnectionString, "select 1"), Is.EqualTo(1));

        await cluster.DisposeAsync();

        var unpooled = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Pooling = false }.ConnectionString;
        Assert.That(Directory.Exists(cluster.Folder), Is.False);
        await Assert.ThrowsAsync(Is.InstanceOf<NpgsqlException>(), () => Sql.ScalarAsync<int>(unpooled, "select 1"));
    }
}
