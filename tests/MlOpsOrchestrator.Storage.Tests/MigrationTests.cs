using MlOpsOrchestrator.Storage.Migrations;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Storage.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>Each test migrates its own empty database: the point is what happens on the first and later start-ups.</summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class MigrationTests(StoreEngine engine)
{
    private StoreTarget _target = null!;

    [SetUp]
    public async Task CreateDatabase() => _target = await StoreTarget.CreateAsync(engine);

    [TearDown]
    public async Task DropDatabase() => await _target.DisposeAsync();

    [Test]
    public async Task ApplyAsync_EmptyDatabase_AppliesEveryMigrationOnceAndRecordsIt()
    {
        await using var sqlEngine = _target.CreateEngine();
        var known = MigrationCatalog.For(sqlEngine.Name);

        var applied = await Runner(sqlEngine).ApplyAsync(CancellationToken.None);

        Assert.That(known, Is.Not.Empty);
        Assert.That(applied, Is.EqualTo(known.Select(m => m.Version)));
        Assert.That(await RecordedAsync(sqlEngine), Is.EqualTo(known.Select(m => (m.Version, Sample.T0))));
    }

    [Test]
    public async Task ApplyAsync_SecondTime_AppliesNothingAndKeepsTheRecords()
    {
        await using var sqlEngine = _target.CreateEngine();
        await Runner(sqlEngine).ApplyAsync(CancellationToken.None);
        var before = await RecordedAsync(sqlEngine);

        var again = await Runner(sqlEngine, Sample.T0.AddDays(1)).ApplyAsync(CancellationToken.None);

        Assert.That(again, Is.Empty);
        Assert.That(await RecordedAsync(sqlEngine), Is.EqualTo(before));
    }

    [Test]
    public async Task OpenAsync_TwoProcessesStartAtOnce_BothSucceedAndMigrateOnce()
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _target.OpenAsync())));

        var run = Sample.Run(Sample.Name("taxi"));
        await opened[0].Runs.CreateAsync(run, [], CancellationToken.None);
        await using var sqlEngine = _target.CreateEngine();
        Assert.That(await opened[3].Runs.GetAsync(run.RunId, CancellationToken.None), Is.Not.Null);
        Assert.That((await RecordedAsync(sqlEngine)).Select(r => r.Version), Is.EqualTo(MigrationCatalog.For(sqlEngine.Name).Select(m => m.Version)));
    }

    [Test]
    public async Task OpenAsync_DatabaseFromANewerBuild_RefusesToStart()
    {
        await using var sqlEngine = _target.CreateEngine();
        await Runner(sqlEngine).ApplyAsync(CancellationToken.None);
        await using (var connection = await sqlEngine.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                $"INSERT INTO {sqlEngine.Table("schema_migrations")} (version, name, applied_at) VALUES (999, 'future', @at)",
                null, CancellationToken.None, ("@at", sqlEngine.TimeValue(Sample.T0)));
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _target.OpenAsync());

        Assert.That(error.Message, Does.Contain("999").And.Contain("newer"));
    }

    private static MigrationRunner Runner(ISqlEngine sqlEngine, DateTimeOffset? now = null) =>
        new(sqlEngine, new FakeTimeProvider(now ?? Sample.T0), NullLogger.Instance);

    private static async Task<IReadOnlyList<(int Version, DateTimeOffset AppliedAt)>> RecordedAsync(ISqlEngine sqlEngine)
    {
        await using var connection = await sqlEngine.OpenAsync(CancellationToken.None);
        await using var command = connection.Command($"SELECT version, applied_at FROM {sqlEngine.Table("schema_migrations")} ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt(0), sqlEngine.ReadTime(reader, 1)));
        }

        return rows;
    }
}
