using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Scheduling.Quartz;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

[Category("Postgres")]
public sealed class QuartzSchemaProvisionerTests
{
    [Test]
    public async Task ProvisionAsync_FourNodesAtOnceOnAnEmptyDatabase_CreatesEveryTableOnce()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync("quartz_schema");
        var tables = QuartzSchemaProvisioner.Statements("quartz.qrtz_", "qrtz_").Count(s => s.Contains("CREATE TABLE", StringComparison.Ordinal));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            QuartzSchemaProvisioner.ProvisionAsync(connectionString, "qrtz_", "quartz", NullLogger.Instance, CancellationToken.None)));
        await QuartzSchemaProvisioner.ProvisionAsync(connectionString, "qrtz_", "quartz", NullLogger.Instance, CancellationToken.None);

        Assert.That(tables, Is.GreaterThanOrEqualTo(11));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'quartz' AND table_name LIKE 'qrtz\\_%'", connection);
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(tables));
    }

    [Test]
    public void Statements_EmbeddedScript_OneCreateStatementPerPieceWithBothPrefixesFilledIn()
    {
        var statements = QuartzSchemaProvisioner.Statements("quartz.qrtz_", "qrtz_");

        Assert.That(statements, Is.Not.Empty);
        Assert.That(statements, Has.All.StartsWith("CREATE "));
        Assert.That(statements, Has.None.Contains("--"));
        Assert.That(statements, Has.None.Contains("{0}").And.None.Contains("{1}"));
        Assert.That(statements, Has.Some.Contains("CREATE TABLE IF NOT EXISTS quartz.qrtz_triggers"));
        Assert.That(statements, Has.Some.Contains("idx_qrtz_t_nft_st ON quartz.qrtz_triggers"));
    }
}
