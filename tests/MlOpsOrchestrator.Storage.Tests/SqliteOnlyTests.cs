using Microsoft.Data.Sqlite;
using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>What only the embedded mode has: one file that a CLI process and a <c>serve</c> process share.</summary>
public sealed class SqliteOnlyTests
{
    private StoreTarget _target = null!;
    private StorageSet _stores = null!;

    [SetUp]
    public async Task Open()
    {
        _target = await StoreTarget.CreateAsync(StoreEngine.Sqlite);
        _stores = await _target.OpenAsync();
    }

    [TearDown]
    public async Task Close() => await _target.DisposeAsync();

    [Test]
    public async Task OpenSqliteAsync_FreshHome_CreatesMlopsDbInWalMode()
    {
        await using var connection = await OpenOtherProcessConnectionAsync();
        await using var command = new SqliteCommand("PRAGMA journal_mode", connection);

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("wal"));
    }

    [Test]
    public async Task Stores_AnotherProcessHoldsTheWriteLock_ReadsGoOnAndWritesWaitInsteadOfFailing()
    {
        var run = Sample.Run(Sample.Name("taxi"));
        await _stores.Runs.CreateAsync(run, [], CancellationToken.None);
        await using var other = await OpenOtherProcessConnectionAsync();
        await using var transaction = other.BeginTransaction(deferred: false);
        await using (var write = new SqliteCommand("UPDATE runs SET error = 'held' WHERE run_id = $id", other, transaction))
        {
            write.Parameters.AddWithValue("$id", run.RunId);
            await write.ExecuteNonQueryAsync();
        }

        var read = await _stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        // Microsoft.Data.Sqlite completes its "async" calls synchronously: wait on another thread, as another process would.
        var waiting = Task.Run(() => _stores.Watermarks.SetAsync(run.Pipeline, Sample.T0, run.RunId, CancellationToken.None));
        await Task.Delay(300);
        var waitedForTheLock = !waiting.IsCompleted;
        await transaction.CommitAsync();
        await waiting;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read!.Error, Is.Null, "a reader sees the last committed state while another process writes");
            Assert.That(waitedForTheLock, Is.True, "the write should wait for the other process's transaction");
            Assert.That(await _stores.Watermarks.GetAsync(run.Pipeline, CancellationToken.None), Is.EqualTo(Sample.T0));
            Assert.That((await _stores.Runs.GetAsync(run.RunId, CancellationToken.None))!.Error, Is.EqualTo("held"));
        }
    }

    private async Task<SqliteConnection> OpenOtherProcessConnectionAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_target.Home, MlOpsStorage.DatabaseFileName),
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
