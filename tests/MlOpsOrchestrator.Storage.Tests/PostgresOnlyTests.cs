using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>What only the PostgreSQL mode has: a configurable schema, a server that can be away, a password to hide.</summary>
public sealed class PostgresOnlyTests
{
    [Test]
    public async Task OpenPostgresAsync_CustomSchema_TablesLiveThereAndSchemasAreIsolated()
    {
        await using var target = await StoreTarget.CreateAsync(StoreEngine.Postgres);
        var standard = await target.OpenAsync();
        var custom = await target.OpenAsync(new StorageOptions { PostgresSchema = "mlops_blue" });
        var run = Sample.Run(Sample.Name("taxi"));

        await custom.Runs.CreateAsync(run, [], CancellationToken.None);

        Assert.That(await custom.Runs.GetAsync(run.RunId, CancellationToken.None), Is.Not.Null);
        Assert.That(await standard.Runs.GetAsync(run.RunId, CancellationToken.None), Is.Null);
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass('mlops_blue.runs') IS NOT NULL AND to_regclass('public.runs') IS NULL", connection);
        Assert.That(await command.ExecuteScalarAsync(), Is.True);
    }

    [Test]
    public async Task CommitAsync_RunUpdateFails_StepUpdatesOfTheSameCallRolledBack()
    {
        // The batch is sent as one command without BEGIN/COMMIT: its statements must still be one transaction.
        await using var target = await StoreTarget.CreateAsync(StoreEngine.Postgres);
        var stores = await target.OpenAsync();
        var run = Sample.Run(Sample.Name("taxi"));
        await stores.Runs.CreateAsync(run, Sample.Steps(run, "prep"), CancellationToken.None);
        await using (var connection = new NpgsqlConnection(target.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "CREATE FUNCTION mlops.refuse_failed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
                "IF NEW.status = 'failed' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$; " +
                "CREATE TRIGGER refuse_failed BEFORE UPDATE ON mlops.runs FOR EACH ROW EXECUTE FUNCTION mlops.refuse_failed();",
                connection);
            await command.ExecuteNonQueryAsync();
        }

        var prep = Sample.Step(run, "prep") with { Status = StepStatus.Succeeded, Attempts = 1 };

        await Assert.ThatAsync(() =>
            stores.RunExecution.CommitAsync(null, [prep], run with { Status = RunStatus.Failed }, CancellationToken.None), Throws.InstanceOf<PostgresException>());
        var steps = await stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        Assert.That(steps.Single().Status, Is.EqualTo(StepStatus.Pending));
    }

    [Test]
    public async Task Description_ConnectionStringWithPassword_LeavesThePasswordOut()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("storage")) { Password = "s3cret-pw" };
        var home = Directory.CreateTempSubdirectory("mlops-storage-").FullName;
        try
        {
            await using var stores = await MlOpsStorage.OpenPostgresAsync(connectionString.ConnectionString, home, CancellationToken.None);

            Assert.That(stores.Description, Is.EqualTo($"postgres:{connectionString.Host}:{connectionString.Port}/{connectionString.Database}"));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Test]
    public async Task PingAsync_ServerGoneAway_ReturnsFalse()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var database = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("storage"));
        var home = Directory.CreateTempSubdirectory("mlops-storage-").FullName;
        try
        {
            await using var stores = await MlOpsStorage.OpenPostgresAsync(database.ConnectionString, home, CancellationToken.None);
            await using (var admin = new NpgsqlConnection(server.ConnectionString))
            {
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database.Database}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }

            Assert.That(await stores.PingAsync(CancellationToken.None), Is.False);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
