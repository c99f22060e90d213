using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests;

/// <summary><c>MLOPS_TEST_POSTGRES</c>: an external server, given here explicitly instead of through the process environment.</summary>
public sealed class PostgresProvisionerTests
{
    [Test]
    public async Task ExternalServer_PointedAtRunningServer_CreatesDatabasesAndDropsThemAtTheEnd()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        string database;
        await using (var provisioner = new PostgresProvisioner(server.ConnectionString))
        {
            var external = await provisioner.RequireAsync(CancellationToken.None);
            var connectionString = await external.CreateDatabaseAsync("external");
            database = PostgresDatabases.DatabaseOf(connectionString);
            await Sql.ExecuteAsync(connectionString, "create table t (v int); insert into t values (42)");

            Assert.That(external, Is.Not.SameAs(server));
            Assert.That(await Sql.ScalarAsync<int>(connectionString, "select v from t"), Is.EqualTo(42));
        }

        var left = await Sql.ScalarAsync<long>(server.ConnectionString, $"select count(*) from pg_database where datname = '{database}'");
        Assert.That(left, Is.Zero, "the external server's test database should be dropped on dispose");
    }

    [Test]
    public async Task ExternalServer_Unreachable_ReasonNamesTheVariable()
    {
        await using var provisioner = new PostgresProvisioner("Host=127.0.0.1;Port=1;Username=postgres;Timeout=5");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provisioner.GetAsync(CancellationToken.None));

        Assert.That(error.Message, Does.Contain("MLOPS_TEST_POSTGRES").And.Contain("cannot be reached"));
    }
}
