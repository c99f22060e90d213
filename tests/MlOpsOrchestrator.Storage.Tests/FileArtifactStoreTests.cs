using MlOpsOrchestrator.Storage.Artifacts;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

public sealed class FileArtifactStoreTests
{
    private string _root = null!;
    private FileArtifactStore _store = null!;

    [SetUp]
    public void CreateRoot()
    {
        _root = Directory.CreateTempSubdirectory("mlops-artifacts-").FullName;
        _store = new FileArtifactStore(Path.Combine(_root, "artifacts"));
    }

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task ListAsync_TheFolderAtAnyDepthByName_WithoutTemporaryFilesOrOtherFolders()
    {
        await _store.WriteAsync("features/trips/k2/info.json", (s, ct) => s.WriteAsync(new byte[3], ct).AsTask(), CancellationToken.None);
        await _store.WriteAsync("features/trips/k1/events.bin", (s, ct) => s.WriteAsync(new byte[5], ct).AsTask(), CancellationToken.None);
        await _store.WriteAsync("features/tripsX/k1/info.json", (s, ct) => s.WriteAsync(new byte[1], ct).AsTask(), CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(_store.Root, "features", "trips", "k1", ".info.json.0123.tmp"), new byte[7]);

        var listed = await _store.ListAsync("features/trips", CancellationToken.None);

        Assert.That(listed.Select(e => (e.Path, e.Size)), Is.EqualTo(new[] { ("features/trips/k1/events.bin", 5L), ("features/trips/k2/info.json", 3L) }));
        Assert.That(listed.Select(e => e.Written), Is.All.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.That(await _store.ListAsync("features/none", CancellationToken.None), Is.Empty);
    }

    [TestCase("model.zip")]
    [TestCase("runs/r1/train/model.zip")]
    [TestCase("runs/r1/../r2/model.zip")]
    public void PathOf_InsideTheRoot_ReturnsAbsolutePathUnderRoot(string relative)
    {
        var path = _store.PathOf(relative);

        Assert.That(Path.IsPathRooted(path), Is.True);
        Assert.That(path, Does.StartWith(_store.Root + Path.DirectorySeparatorChar));
        Assert.That(path, Does.Not.Contain(".."));
    }

    [TestCase("../secrets.txt")]
    [TestCase("runs/../../secrets.txt")]
    [TestCase("runs/../../artifacts-evil/model.zip")]
    [TestCase("..")]
    [TestCase(".")]
    [TestCase("/etc/passwd")]
    [TestCase("")]
    [TestCase("   ")]
    public void PathOf_EscapingOrEmpty_ThrowsArgumentException(string relative)
    {
        Assert.Throws<ArgumentException>(() => _store.PathOf(relative));
    }

    [Test]
    public async Task WriteAsync_EscapingPath_ThrowsAndWritesNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.WriteAsync("../escaped.bin", (s, ct) => s.WriteAsync(new byte[1], ct).AsTask(), CancellationToken.None));

        Assert.That(File.Exists(Path.Combine(_root, "escaped.bin")), Is.False);
    }

    [Test]
    public async Task WriteAsync_NewNestedPath_CreatesFoldersAndLeavesNoTemporaryFile()
    {
        await _store.WriteAsync("runs/r1/train/model.zip", (s, ct) => s.WriteAsync("model"u8.ToArray(), ct).AsTask(), CancellationToken.None);

        var folder = Path.Combine(_store.Root, "runs", "r1", "train");
        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder, "model.zip")), Is.EqualTo("model"));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "model.zip" }));
        Assert.That(_store.Exists("runs/r1/train/model.zip"), Is.True);
        Assert.That(_store.Exists("runs/r1/train/other.zip"), Is.False);
    }

    [Test]
    public async Task WriteAsync_WhileWriting_TargetShowsOnlyTheOldCompleteContent()
    {
        await _store.WriteAsync("model.zip", (s, ct) => s.WriteAsync(Filled(1 << 20, 1), ct).AsTask(), CancellationToken.None);
        byte[]? seenMidWrite = null;

        await _store.WriteAsync("model.zip", async (stream, ct) =>
        {
            await stream.WriteAsync(Filled(1 << 19, 2), ct);
            await stream.FlushAsync(ct);
            seenMidWrite = await File.ReadAllBytesAsync(_store.PathOf("model.zip"), ct);
            await stream.WriteAsync(Filled(1 << 19, 2), ct);
        }, CancellationToken.None);

        Assert.That(seenMidWrite, Is.EqualTo(Filled(1 << 20, 1)), "mid-write, readers must still see the whole old file");
        Assert.That(await File.ReadAllBytesAsync(_store.PathOf("model.zip")), Is.EqualTo(Filled(1 << 20, 2)));
        Assert.That(Directory.GetFiles(_store.Root).Select(Path.GetFileName), Is.EqualTo(new[] { "model.zip" }));
    }

    [Test]
    public async Task WriteAsync_ConcurrentReader_NeverSeesAPartialFile()
    {
        const int size = 1 << 20;
        await _store.WriteAsync("model.zip", (s, ct) => s.WriteAsync(Filled(size, 0), ct).AsTask(), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var bytes = await File.ReadAllBytesAsync(_store.PathOf("model.zip"));
                Assert.That(bytes, Has.Length.EqualTo(size));
                Assert.That(bytes.All(b => b == bytes[0]), Is.True, "a file mixing two versions was read");
                reads++;
            }

            return reads;
        });

        for (byte version = 1; version <= 30; version++)
        {
            var content = Filled(size, version);
            await _store.WriteAsync("model.zip", async (s, ct) =>
            {
                await s.WriteAsync(content.AsMemory(0, size / 2), ct);
                await Task.Yield();
                await s.WriteAsync(content.AsMemory(size / 2), ct);
            }, CancellationToken.None);
        }

        await stop.CancelAsync();
        Assert.That(await reader, Is.GreaterThan(0));
        Assert.That(Directory.GetFiles(_store.Root), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task WriteAsync_WriterFails_OldContentKeptAndNoTemporaryFileLeft()
    {
        await _store.WriteAsync("model.zip", (s, ct) => s.WriteAsync("old"u8.ToArray(), ct).AsTask(), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.WriteAsync("model.zip", async (s, ct) =>
        {
            await s.WriteAsync("half of the new"u8.ToArray(), ct);
            throw new InvalidOperationException("trainer crashed");
        }, CancellationToken.None));

        Assert.That(await File.ReadAllTextAsync(_store.PathOf("model.zip")), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(_store.Root), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task WriteAsync_WriterDisposesTheStream_StillWritesTheFile()
    {
        await _store.WriteAsync("model.zip", async (s, ct) =>
        {
            await using (s)
            {
                await s.WriteAsync("closed by the writer"u8.ToArray(), ct);
            }
        }, CancellationToken.None);

        Assert.That(await File.ReadAllTextAsync(_store.PathOf("model.zip")), Is.EqualTo("closed by the writer"));
    }

    [Test]
    public async Task ImportAsync_LocalFile_CopiedIntoPlaceAndSourceKept()
    {
        var source = Path.Combine(_root, "trained.zip");
        await File.WriteAllBytesAsync(source, Filled(300_000, 7));

        await _store.ImportAsync("runs/r1/train/model.zip", source, CancellationToken.None);

        Assert.That(await File.ReadAllBytesAsync(_store.PathOf("runs/r1/train/model.zip")), Is.EqualTo(Filled(300_000, 7)));
        Assert.That(File.Exists(source), Is.True);
        Assert.That(Directory.GetFiles(Path.Combine(_store.Root, "runs", "r1", "train")), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task ImportAsync_MissingSource_ThrowsFileNotFoundAndWritesNothing()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.ImportAsync("model.zip", Path.Combine(_root, "missing.zip"), CancellationToken.None));

        Assert.That(_store.Exists("model.zip"), Is.False);
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    [Test]
    public async Task WriteAsync_RootIsAFile_ArtifactWriteExceptionNamesTheArtifactThePathAndTheFix()
    {
        // A file where the folder should be stops root too, unlike permissions.
        await File.WriteAllTextAsync(_store.Root, "not a folder");

        var thrown = await Assert.ThrowsAsync<ArtifactWriteException>(() => _store.WriteAsync("runs/r1/train/model.zip", (s, ct) => s.WriteAsync(new byte[1], ct).AsTask(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(thrown!.Artifact, Is.EqualTo("runs/r1/train/model.zip"));
            Assert.That(thrown.Path, Is.EqualTo(_store.PathOf("runs/r1/train/model.zip")));
            Assert.That(thrown.Message, Does.StartWith($"cannot write the artifact 'runs/r1/train/model.zip' to {thrown.Path}: "));
            Assert.That(thrown.Message, Does.Contain($"check that the artifact folder {_store.Root}"));
            Assert.That(thrown.Message, Does.Not.Contain("Exception"));
            Assert.That(thrown.InnerException, Is.InstanceOf<IOException>(), "the .NET exception is kept for the log file");
        });
    }

    [Test]
    public async Task ImportAsync_TargetFolderIsAFile_ArtifactWriteExceptionAndSourceKept()
    {
        var source = Path.Combine(_root, "model.zip");
        File.WriteAllText(source, "model");
        Directory.CreateDirectory(_store.Root);
        File.WriteAllText(Path.Combine(_store.Root, "runs"), "not a folder");

        var thrown = await Assert.ThrowsAsync<ArtifactWriteException>(() => _store.ImportAsync("runs/r1/model.zip", source, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(thrown!.Message, Does.Contain("'runs/r1/model.zip'"));
            Assert.That(File.ReadAllText(source), Is.EqualTo("model"));
        });
    }
}
