using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Migrations;
using MlOpsOrchestrator.Storage.Runs;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// Migration 2 (monitoring series and the prediction log) on a database that an earlier build left at version 1,
/// holding data: the upgrade adds the new tables and keeps everything else.
/// </summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class MonitoringMigrationTests(StoreEngine engine)
{
    private StoreTarget _target = null!;

    [SetUp]
    public async Task CreateDatabase() => _target = await StoreTarget.CreateAsync(engine);

    [TearDown]
    public async Task DropDatabase() => await _target.DisposeAsync();

    [Test]
    public async Task ApplyAsync_DatabaseAtVersion1WithData_AppliesTheLaterOnesAndKeepsTheData()
    {
        await using var sqlEngine = _target.CreateEngine();
        await MigrateAsTheFirstReleaseDidAsync(sqlEngine);
        var run = Sample.Run(Sample.Name("taxi"));
        await InsertRunAsTheFirstReleaseDidAsync(sqlEngine, run);
        await InsertStepsAsTheFirstReleaseDidAsync(sqlEngine, run.RunId, "prep", "train");
        Assert.That(await TableExistsAsync(sqlEngine, "evaluation_points"), Is.False, "the database should start at version 1");

        var applied = await new MigrationRunner(sqlEngine, new FakeTimeProvider(Sample.T0.AddDays(30)), NullLogger.Instance)
            .ApplyAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            var all = MigrationCatalog.For(sqlEngine.Name).Select(m => m.Version).ToList();
            Assert.That(all, Has.Count.GreaterThanOrEqualTo(4));
            Assert.That(applied, Is.EqualTo(all.Skip(1)), "every migration after the first, in order");
            Assert.That(await RecordedVersionsAsync(sqlEngine), Is.EqualTo(all));
            Assert.That(await TableExistsAsync(sqlEngine, "evaluation_points"), Is.True);
            Assert.That(await TableExistsAsync(sqlEngine, "prediction_log"), Is.True);
            Assert.That(await new SqlRunStore(sqlEngine).GetStepsAsync(run.RunId, CancellationToken.None), Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task OpenAsync_DatabaseAtVersion1_NewStoresWorkAndOldDataIsThere()
    {
        await using (var sqlEngine = _target.CreateEngine())
        {
            await MigrateAsTheFirstReleaseDidAsync(sqlEngine);
        }

        var old = Sample.Run(Sample.Name("taxi"));
        await using (var sqlEngine = _target.CreateEngine())
        {
            await InsertRunAsTheFirstReleaseDidAsync(sqlEngine, old);
        }

        var stores = await _target.OpenAsync();
        await stores.Evaluations.AppendAsync([MonitoringSample.Point(old.Pipeline, "drift.psi.temp", 0.31, Sample.T0)], CancellationToken.None);
        await stores.Predictions.AppendAsync([MonitoringSample.Prediction("taxi-fare", Sample.T0)], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await stores.Runs.GetAsync(old.RunId, CancellationToken.None), Is.Not.Null);
            Assert.That(await stores.Evaluations.ReadAsync(old.Pipeline, "drift.", null, 10, CancellationToken.None), Has.Count.EqualTo(1));
            Assert.That(await stores.Predictions.ReadAsync("taxi-fare", Sample.T0, 10, CancellationToken.None), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task ApplyAsync_Version2_CreatesTheReadIndexes()
    {
        await using var sqlEngine = _target.CreateEngine();

        await new MigrationRunner(sqlEngine, new FakeTimeProvider(Sample.T0), NullLogger.Instance).ApplyAsync(CancellationToken.None);

        Assert.That(await IndexColumnsAsync(sqlEngine, "ix_evaluation_points_pipeline_series_at"), Is.EqualTo("pipeline, series, at"));
        Assert.That(await IndexColumnsAsync(sqlEngine, "ix_prediction_log_model_at"), Is.EqualTo("model, at"));
    }

    /// <summary>What the runner did when version 1 was the only script there was.</summary>
    private static async Task MigrateAsTheFirstReleaseDidAsync(ISqlEngine sqlEngine)
    {
        var first = MigrationCatalog.For(sqlEngine.Name).Single(m => m.Version == 1);
        var table = sqlEngine.Table("schema_migrations");
        await using var connection = await sqlEngine.OpenAsync(CancellationToken.None);
        await sqlEngine.PrepareAsync(connection, CancellationToken.None);
        await using var transaction = await sqlEngine.BeginWriteAsync(connection, CancellationToken.None);
        await sqlEngine.LockForMigrationAsync(connection, transaction, CancellationToken.None);
        await connection.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {table} (version integer PRIMARY KEY, name text NOT NULL, applied_at {sqlEngine.TimeType} NOT NULL)",
            transaction, CancellationToken.None);
        await connection.ExecuteAsync(sqlEngine.Script(first.Sql), transaction, CancellationToken.None);
        await connection.ExecuteAsync(
            $"INSERT INTO {table} (version, name, applied_at) VALUES (1, @name, @at)", transaction, CancellationToken.None,
            ("@name", first.Name), ("@at", sqlEngine.TimeValue(Sample.T0)));
        await transaction.CommitAsync();
    }

    /// <summary>Step rows as the first release wrote them (its columns; the step store of this build writes later ones too).</summary>
    /// <summary>A run row with the columns of the first release only (the run store writes the later ones as well).</summary>
    private static async Task InsertRunAsTheFirstReleaseDidAsync(ISqlEngine sqlEngine, RunRecord run)
    {
        await using var connection = await sqlEngine.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            $"INSERT INTO {sqlEngine.Table("runs")} (run_id, pipeline, pipeline_version, pipeline_file, pipeline_yaml, trigger_name, mode, status, level, level_reasons, parameters, created_at) " +
            "VALUES (@run_id, @pipeline, 'v1', 'p.yaml', 'name: p', 'manual', 'full', 'pending', 0, '[]', '{}', @created_at)",
            null, CancellationToken.None, ("@run_id", run.RunId), ("@pipeline", run.Pipeline), ("@created_at", sqlEngine.TimeValue(run.CreatedAt)));
    }

    private static async Task InsertStepsAsTheFirstReleaseDidAsync(ISqlEngine sqlEngine, string runId, params string[] stepIds)
    {
        await using var connection = await sqlEngine.OpenAsync(CancellationToken.None);
        for (var i = 0; i < stepIds.Length; i++)
        {
            await connection.ExecuteAsync(
                $"INSERT INTO {sqlEngine.Table("steps")} (run_id, step_id, kind, status, attempts, started_at, finished_at, metrics, artifacts, outputs, error, decided_by, reason, ordinal) " +
                "VALUES (@run_id, @step_id, 'train', 'pending', 0, NULL, NULL, '{}', '{}', '{}', NULL, NULL, NULL, @ordinal)",
                null, CancellationToken.None, ("@run_id", runId), ("@step_id", stepIds[i]), ("@ordinal", i));
        }
    }

    private static async Task<IReadOnlyList<int>> RecordedVersionsAsync(ISqlEngine sqlEngine)
    {
        await using var connection = await sqlEngine.OpenAsync(CancellationToken.None);
        await using var command = connection.Command($"SELECT version FROM {sqlEngine.Table("schema_migrations")} ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt(0));
        }

        return versions;
    }

    private async Task<bool> TableExistsAsync(ISqlEngine sqlEngine, string name)
    {
        var sql = engine == StoreEngine.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @name"
            : "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'mlops' AND tablename = @name";
        await using var connection = await sqlEngine.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql).With("@name", name);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>The indexed columns in order, comma-separated.</summary>
    private async Task<string> IndexColumnsAsync(ISqlEngine sqlEngine, string index)
    {
        var sql = engine == StoreEngine.Sqlite
            ? "SELECT name FROM pragma_index_info(@index) ORDER BY seqno"
            : "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) " +
              "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum " +
              "WHERE i.indexrelid = to_regclass('mlops.' || @index) ORDER BY k.position";
        await using var connection = await sqlEngine.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql).With("@index", index);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<string>();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return string.Join(", ", columns);
    }
}
