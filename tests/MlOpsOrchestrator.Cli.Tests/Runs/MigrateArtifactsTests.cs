using MlOpsOrchestrator.Storage;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// <c>mlops migrate-artifacts</c>: the files of a home's <c>artifacts</c> folder (a cluster that shared one home
/// before) go into PostgreSQL under the same names, once: a second run copies nothing, a changed file is copied again,
/// and another process with an empty home of its own reads them.
/// </summary>
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed class MigrateArtifactsTests
{
    [Test]
    public async Task MigrateArtifacts_SharedHomeFiles_CopiedOnceAndReadableFromAnotherHome()
    {
        using var session = await CliSession.OpenAsync(StorageEngine.Postgres, database: "migrate_artifacts");
        var model = Write(session, "runs/r1/train/model.zip", 300_000, 7);
        Write(session, "runs/r1/prep/schema.json", 2_000, 3);
        Write(session, "runs/r1/train/.model.zip.0123.tmp", 100, 1); // a temporary file of an interrupted write

        var (_, first) = await session.JsonAsync(0, "migrate-artifacts");
        var (_, second) = await session.JsonAsync(0, "migrate-artifacts");
        Write(session, "runs/r1/prep/schema.json", 2_000, 4);
        var (_, third) = await session.JsonAsync(0, "migrate-artifacts");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first["imported"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "runs/r1/prep/schema.json", "runs/r1/train/model.zip" }));
            Assert.That(second["imported"]!.AsArray(), Is.Empty, "a second run copies nothing");
            Assert.That(second["alreadyStored"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(third["imported"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "runs/r1/prep/schema.json" }), "a changed file is copied again");
            Assert.That(File.Exists(model), Is.True, "the files are kept");
        }

        var elsewhere = session.Temp.Combine("other-home");
        await using var other = await MlOpsStorage.OpenPostgresAsync(session.Postgres!, elsewhere, CancellationToken.None);
        Assert.That(await File.ReadAllBytesAsync(other.Artifacts.PathOf("runs/r1/train/model.zip")), Is.EqualTo(Bytes(300_000, 7)));
        Assert.That(await File.ReadAllBytesAsync(other.Artifacts.PathOf("runs/r1/prep/schema.json")), Is.EqualTo(Bytes(2_000, 4)));
        Assert.That(other.Artifacts.Exists("runs/r1/train/.model.zip.0123.tmp"), Is.False);
    }

    [Test]
    public async Task MigrateArtifacts_Embedded_RefusedNamingPostgres()
    {
        using var session = await CliSession.OpenAsync(StorageEngine.Sqlite);

        var result = await session.RunAsync("migrate-artifacts");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("MLOPS_POSTGRES"));
    }

    private static string Write(CliSession session, string name, int length, byte seed)
    {
        var path = Path.Combine(session.Home, "artifacts", name.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Bytes(length, seed));
        return path;
    }

    private static byte[] Bytes(int length, byte seed) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * 13) + seed))];
}
