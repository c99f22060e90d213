using Microsoft.Extensions.Time.Testing;
using MlOpsOrchestrator.Storage.Artifacts;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// Artifacts in PostgreSQL, on a real server: each "process" is a storage set of its own with a home folder of its own,
/// so whatever one reads of another's writes came through the database.
/// </summary>
public sealed class PostgresArtifactStoreTests
{
    private readonly List<string> _homes = [];
    private readonly List<StorageSet> _opened = [];
    private string _database = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        _database = await server.CreateDatabaseAsync("artifacts");
    }

    [TearDown]
    public async Task CloseStores()
    {
        foreach (var stores in _opened)
        {
            await stores.DisposeAsync();
        }

        _opened.Clear();
        foreach (var home in _homes)
        {
            Directory.Delete(home, recursive: true);
        }

        _homes.Clear();
    }

    [Test]
    public async Task ListAsync_AnotherProcessListsWhatOneWrote_UnderTheFolderOnly()
    {
        var writer = await OpenAsync();
        var lister = await OpenAsync();
        await writer.Artifacts.WriteAsync("features/trips/k2/info.json", (s, ct) => s.WriteAsync(Filled(3, 1), ct).AsTask(), CancellationToken.None);
        await writer.Artifacts.WriteAsync("features/trips/k1/events.bin", (s, ct) => s.WriteAsync(Filled(5, 2), ct).AsTask(), CancellationToken.None);
        await writer.Artifacts.WriteAsync("features/tripsX/k1/info.json", (s, ct) => s.WriteAsync(Filled(1, 3), ct).AsTask(), CancellationToken.None);

        var listed = await lister.Artifacts.ListAsync("features/trips", CancellationToken.None);

        Assert.That(listed.Select(e => (e.Path, e.Size)), Is.EqualTo(new[] { ("features/trips/k1/events.bin", 5L), ("features/trips/k2/info.json", 3L) }));
        Assert.That(listed.Select(e => e.Written.Offset), Is.All.EqualTo(TimeSpan.Zero));
        Assert.That(await lister.Artifacts.ListAsync("features/none", CancellationToken.None), Is.Empty);
        var cached = Directory.Exists(lister.Artifacts.Root) ? Directory.EnumerateFiles(lister.Artifacts.Root, "*", SearchOption.AllDirectories).ToList() : [];
        Assert.That(cached, Is.Empty, "a listing fetches nothing");
    }

    [Test]
    public async Task WriteAsync_SeveralChunks_AnotherProcessReadsTheSameBytesByStreamAndByPath()
    {
        var writer = await OpenAsync();
        var reader = await OpenAsync();
        var bytes = Filled(PostgresArtifactStore.ChunkBytes * 2 + 12_345, 3);

        await writer.Artifacts.WriteAsync("runs/r1/train/model.zip", (s, ct) => s.WriteAsync(bytes, ct).AsTask(), CancellationToken.None);

        Assert.That(reader.Artifacts.Exists("runs/r1/train/model.zip"), Is.True);
        await using (var stream = await reader.Artifacts.OpenReadAsync("runs/r1/train/model.zip", CancellationToken.None))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(bytes));
        }

        var path = reader.Artifacts.PathOf("runs/r1/../r1/train/model.zip");
        Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(bytes));
        Assert.That(path, Does.StartWith(reader.Artifacts.Root + Path.DirectorySeparatorChar));
        Assert.That(await CountAsync("artifact_chunks"), Is.EqualTo(3));
        Assert.That(Directory.Exists(Path.Combine(_homes[0], MlOpsStorage.ArtifactsFolderName)), Is.False, "nothing under home/artifacts in this mode");
    }

    [Test]
    public async Task WriteAsync_EmptyArtifact_ReadsBackEmpty()
    {
        var stores = await OpenAsync();

        await stores.Artifacts.WriteAsync("runs/r1/empty.txt", (_, _) => Task.CompletedTask, CancellationToken.None);

        Assert.That(await File.ReadAllBytesAsync((await OpenAsync()).Artifacts.PathOf("runs/r1/empty.txt")), Is.Empty);
    }

    [Test]
    public async Task WriteAsync_SameBytesUnderAnotherName_StoresNoSecondCopy()
    {
        var stores = await OpenAsync();
        var bytes = Filled(PostgresArtifactStore.ChunkBytes + 10, 5);
        await stores.Artifacts.WriteAsync("runs/r1/train/model.zip", (s, ct) => s.WriteAsync(bytes, ct).AsTask(), CancellationToken.None);

        await stores.Artifacts.WriteAsync("runs/r2/train/model.zip", (s, ct) => s.WriteAsync(bytes, ct).AsTask(), CancellationToken.None);

        Assert.That(await CountAsync("artifact_blobs"), Is.EqualTo(1));
        Assert.That(await CountAsync("artifact_chunks"), Is.EqualTo(2));
        Assert.That(await CountAsync("artifact_names"), Is.EqualTo(2));
    }

    [Test]
    public async Task WriteAsync_NameOverwritten_ReadersSeeTheNewBytesAndTheOldContentIsGone()
    {
        var stores = await OpenAsync();
        await stores.Artifacts.WriteAsync("model.zip", (s, ct) => s.WriteAsync("old"u8.ToArray(), ct).AsTask(), CancellationToken.None);
        var other = await OpenAsync();
        Assert.That(await File.ReadAllTextAsync(other.Artifacts.PathOf("model.zip")), Is.EqualTo("old"));

        await stores.Artifacts.WriteAsync("model.zip", (s, ct) => s.WriteAsync("new"u8.ToArray(), ct).AsTask(), CancellationToken.None);

        Assert.That(await File.ReadAllTextAsync(other.Artifacts.PathOf("model.zip")), Is.EqualTo("new"));
        Assert.That(await CountAsync("artifact_blobs"), Is.EqualTo(1), "the old content has no name left");
    }

    [Test]
    public async Task WriteAsync_WriterFailsHalfWay_NothingVisibleAndNothingStored()
    {
        var stores = await OpenAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => stores.Artifacts.WriteAsync("runs/r1/model.zip", async (s, ct) =>
        {
            await s.WriteAsync(Filled(PostgresArtifactStore.ChunkBytes * 2, 1), ct);
            throw new InvalidOperationException("serializer failed");
        }, CancellationToken.None));

        Assert.That(stores.Artifacts.Exists("runs/r1/model.zip"), Is.False);
        Assert.That(await CountAsync("artifact_blobs"), Is.Zero);
        Assert.That(Directory.GetFiles(Path.Combine(stores.Artifacts.Root, "tmp")), Is.Empty, "no temporary file left behind");
    }

    [Test]
    public async Task WriteAsync_CancelledWhileChunksAreStored_NothingVisible()
    {
        var stores = await OpenAsync();
        using var cancel = new CancellationTokenSource();
        var bytes = Filled(PostgresArtifactStore.ChunkBytes * 20, 9);

        var write = stores.Artifacts.WriteAsync("runs/r1/model.zip", async (s, ct) =>
        {
            await s.WriteAsync(bytes, ct);
            cancel.CancelAfter(TimeSpan.FromMilliseconds(30)); // while the chunks are being sent
        }, cancel.Token);

        Assert.That(async () => await write, Throws.InstanceOf<OperationCanceledException>().Or.InstanceOf<NpgsqlException>());
        Assert.That((await OpenAsync()).Artifacts.Exists("runs/r1/model.zip"), Is.False);
        Assert.That(await CountAsync("artifact_chunks"), Is.Zero);
    }

    [Test]
    public async Task PathOf_SecondRead_ComesFromTheLocalCacheWithoutTheDatabase()
    {
        var writer = await OpenAsync();
        var reader = await OpenAsync();
        await writer.Artifacts.WriteAsync("runs/r1/model.zip", (s, ct) => s.WriteAsync(Filled(5000, 2), ct).AsTask(), CancellationToken.None);
        var first = reader.Artifacts.PathOf("runs/r1/model.zip");
        await ExecuteAsync("DELETE FROM mlops.artifact_chunks");

        var second = reader.Artifacts.PathOf("runs/r1/model.zip");

        Assert.That(second, Is.EqualTo(first));
        Assert.That(await File.ReadAllBytesAsync(second), Is.EqualTo(Filled(5000, 2)));
    }

    [Test]
    public async Task PathOf_Missing_NamesNoFileAndExistsIsFalse()
    {
        var stores = await OpenAsync();

        Assert.That(File.Exists(stores.Artifacts.PathOf("runs/r1/none.zip")), Is.False);
        Assert.That(stores.Artifacts.Exists("runs/r1/none.zip"), Is.False);
        await Assert.ThrowsAsync<FileNotFoundException>(() => stores.Artifacts.OpenReadAsync("runs/r1/none.zip", CancellationToken.None));
    }

    [TestCase("../secrets.txt")]
    [TestCase("runs/../../secrets.txt")]
    [TestCase("..")]
    [TestCase(".")]
    [TestCase("/etc/passwd")]
    [TestCase("")]
    public async Task PathOf_EscapingOrEmpty_ThrowsArgumentException(string relative)
    {
        var stores = await OpenAsync();

        Assert.Throws<ArgumentException>(() => stores.Artifacts.PathOf(relative));
        await Assert.ThrowsAsync<ArgumentException>(() => stores.Artifacts.WriteAsync(relative, (s, ct) => s.WriteAsync(new byte[1], ct).AsTask(), CancellationToken.None));
    }

    [Test]
    public async Task DeleteAsync_SharedContent_KeepsTheContentForTheOtherNameAndDropsItWithTheLast()
    {
        var stores = await OpenAsync();
        var bytes = Filled(3000, 4);
        await stores.Artifacts.WriteAsync("runs/r1/schema.json", (s, ct) => s.WriteAsync(bytes, ct).AsTask(), CancellationToken.None);
        await stores.Artifacts.WriteAsync("runs/r2/schema.json", (s, ct) => s.WriteAsync(bytes, ct).AsTask(), CancellationToken.None);

        Assert.That(await stores.Artifacts.DeleteAsync("runs/r1/schema.json", CancellationToken.None), Is.True);
        Assert.That(await stores.Artifacts.DeleteAsync("runs/r1/schema.json", CancellationToken.None), Is.False);

        Assert.That(await File.ReadAllBytesAsync((await OpenAsync()).Artifacts.PathOf("runs/r2/schema.json")), Is.EqualTo(bytes));
        Assert.That(await stores.Artifacts.DeleteAsync("runs/r2/schema.json", CancellationToken.None), Is.True);
        Assert.That(await CountAsync("artifact_blobs"), Is.Zero);
        Assert.That(await CountAsync("artifact_chunks"), Is.Zero);
    }

    [Test]
    public async Task PathOf_CacheOverItsLimit_LeastRecentlyUsedCopiesGo()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var writer = await OpenAsync();
        var reader = await OpenAsync(new StorageOptions { ArtifactCacheBytes = 3L << 20, TimeProvider = time });
        for (var i = 0; i < 4; i++)
        {
            var bytes = Filled(1 << 20, (byte)(10 + i));
            await writer.Artifacts.WriteAsync($"runs/r{i}/model.zip", (s, ct) => s.WriteAsync(bytes, ct).AsTask(), CancellationToken.None);
        }

        var paths = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            paths.Add(reader.Artifacts.PathOf($"runs/r{i}/model.zip"));
            time.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.That(paths.Select(File.Exists), Is.EqualTo(new[] { false, true, true, true }), "the oldest copy went to stay within 3 MiB");
        Assert.That(await File.ReadAllBytesAsync(reader.Artifacts.PathOf("runs/r0/model.zip")), Is.EqualTo(Filled(1 << 20, 10)), "and comes back on demand");
    }

    private async Task<StorageSet> OpenAsync(StorageOptions? options = null)
    {
        var home = Directory.CreateTempSubdirectory("mlops-artifacts-").FullName;
        _homes.Add(home);
        var stores = await MlOpsStorage.OpenPostgresAsync(_database, home, options ?? new StorageOptions(), CancellationToken.None);
        _opened.Add(stores);
        return stores;
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM mlops.{table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static byte[] Filled(int length, byte seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + seed);
        }

        return bytes;
    }
}
