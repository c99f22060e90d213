using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class StorageSetTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task PingAsync_OpenDatabase_ReturnsTrue()
    {
        Assert.That(await Stores.PingAsync(CancellationToken.None), Is.True);
    }

    [Test]
    public void Description_Always_NamesTheEngineAndNoPassword()
    {
        var expected = Engine == StoreEngine.Sqlite
            ? $"sqlite:{Path.Combine(Target.Home, MlOpsStorage.DatabaseFileName)}"
            : "postgres:127.0.0.1:";

        Assert.That(Stores.Description, Does.StartWith(expected));
        Assert.That(Stores.Description, Does.Not.Contain("assword"));
    }

    [Test]
    public async Task Artifacts_Always_LiveWhereTheModeKeepsThem()
    {
        await Stores.Artifacts.WriteAsync("runs/r1/model.zip", (s, ct) => s.WriteAsync("zip"u8.ToArray(), ct).AsTask(), CancellationToken.None);

        if (Engine == StoreEngine.Sqlite)
        {
            // Embedded: files under the home's artifacts folder.
            Assert.That(Stores.Artifacts.Root, Is.EqualTo(Path.Combine(Target.Home, MlOpsStorage.ArtifactsFolderName)));
            Assert.That(File.Exists(Path.Combine(Target.Home, "artifacts", "runs", "r1", "model.zip")), Is.True);
        }
        else
        {
            // PostgreSQL: in the database, with only a cache under the home.
            Assert.That(Stores.Artifacts.Root, Is.EqualTo(Path.Combine(Target.Home, MlOpsStorage.ArtifactCacheFolder)));
            Assert.That(File.Exists(Path.Combine(Target.Home, "artifacts", "runs", "r1", "model.zip")), Is.False);
            var other = await OpenAnotherAsync();
            Assert.That(other.Artifacts.Exists("runs/r1/model.zip"), Is.True);
        }
    }

    [Test]
    public async Task OpenAsync_InvalidOptions_ListsEveryProblem()
    {
        var options = new StorageOptions { PostgresSchema = "Bad-Schema; drop", SqliteBusyTimeout = TimeSpan.Zero };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Target.OpenAsync(options));

        Assert.That(error.Message, Does.Contain("PostgresSchema").And.Contain("SqliteBusyTimeout"));
    }
}
