using System.IO.Compression;
using System.Net;
using MlOpsOrchestrator.Integration.Tests.Cluster;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Faults;

/// <summary>
/// The artifact folder of an embedded <c>mlops serve</c> is full, read-only, or not a folder at all while runs start
/// through the API. Each run ends <c>failed</c> within a bound (none stuck), registers no model version, leaves no
/// temporary or half-written file behind, and serve stays healthy; once the disk is fixed the next run succeeds and
/// registers exactly one version whose file is there. Only states are asserted: the wording of the error is not.
/// </summary>
[Category(FaultSuite.Category)]
public sealed class ArtifactDiskFaultTests
{
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(60);

    private ClusterSandbox? _sandbox;
    private ArtifactMount? _mount;

    private string Artifacts => Path.Combine(_sandbox!.Home, "artifacts");

    [TearDown]
    public async Task CleanUp()
    {
        // Unmounted first (lazily, serve may still hold a file there), so deleting the sandbox deletes a plain folder.
        if (_mount is not null)
        {
            await _mount.DisposeAsync();
            _mount = null;
        }

        _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);
    }

    [Test]
    public async Task ArtifactDiskFull_RunFailsAndRegistersNothing_NextRunAfterSpaceIsFreedSucceeds()
    {
        var (serve, pipeline) = await StartAsync("disk-full");
        _mount = await ArtifactMount.TmpfsAsync(Artifacts, 2 * 1024 * 1024);
        await _mount.FillAsync("filler.bin", leftBytes: 4096);

        await AssertRunFailsCleanlyAsync(serve, pipeline);

        File.Delete(Path.Combine(Artifacts, "filler.bin"));
        await AssertRunSucceedsWithOneVersionAsync(serve, pipeline);
    }

    [Test]
    public async Task ArtifactFolderReadOnly_RunFailsAndRegistersNothing_NextRunAfterItIsWritableSucceeds()
    {
        var (serve, pipeline) = await StartAsync("read-only");
        _mount = await ArtifactMount.TmpfsAsync(Artifacts, 16 * 1024 * 1024);
        await _mount.ReadOnlyAsync();

        await AssertRunFailsCleanlyAsync(serve, pipeline);

        await _mount.WritableAsync();
        await AssertRunSucceedsWithOneVersionAsync(serve, pipeline);
    }

    /// <summary>Needs no root: <c>home/artifacts</c> is a regular file, so no folder can be made there.</summary>
    [Test]
    public async Task ArtifactPathIsAFile_RunFailsAndRegistersNothing_NextRunAfterItIsAFolderSucceeds()
    {
        var (serve, pipeline) = await StartAsync("not-a-folder");
        await File.WriteAllTextAsync(Artifacts, "not a folder");

        await AssertRunFailsCleanlyAsync(serve, pipeline, checkFiles: false);

        File.Delete(Artifacts);
        await AssertRunSucceedsWithOneVersionAsync(serve, pipeline);
    }

    private async Task<(ServeProcess Serve, ChurnPipeline Pipeline)> StartAsync(string name)
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateEmbeddedAsync(name);
        await sandbox.WriteChurnDataAsync("churn.csv", 400);
        var pipeline = new ChurnPipeline("churn", "churn.csv");
        sandbox.WritePipeline(pipeline.Name, pipeline.ToYaml());
        return (await sandbox.StartServeAsync("serve"), pipeline);
    }

    private async Task AssertRunFailsCleanlyAsync(ServeProcess serve, ChurnPipeline pipeline, bool checkFiles = true)
    {
        var runId = await serve.StartRunAsync(pipeline.Name);
        var run = await WaitForEndAsync(runId, pipeline.Name);
        var versions = await _sandbox!.ModelVersionsAsync(pipeline.Name);
        using var health = await serve.Http.GetAsync("health");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run?.Status, Is.EqualTo("failed"), $"the run ends failed within {RunBound.TotalSeconds:0} s: {run}");
            Assert.That(versions, Is.Empty, "no model version is registered");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "serve stays healthy");
            if (checkFiles)
            {
                Assert.That(LeftOvers(), Is.Empty, "no temporary or half-written file is left in the artifact folder");
            }
        }
    }

    private async Task AssertRunSucceedsWithOneVersionAsync(ServeProcess serve, ChurnPipeline pipeline)
    {
        var runId = await serve.StartRunAsync(pipeline.Name);
        var run = await WaitForEndAsync(runId, pipeline.Name);
        var versions = await _sandbox!.ModelVersionsAsync(pipeline.Name);
        var artifacts = await _sandbox.ArtifactPathsAsync(pipeline.Name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run?.Status, Is.EqualTo("succeeded"), $"once the disk is fixed the next run succeeds: {run}");
            Assert.That(versions.Select(v => v.GetProperty("runId").GetString()), Is.EqualTo(new[] { runId }), "exactly one version, from that run");
            Assert.That(artifacts.Select(a => File.Exists(Path.Combine(Artifacts, a))), Is.EqualTo(new[] { true }), "the version's model file is there");
            Assert.That(LeftOvers(), Is.Empty, "no temporary or half-written file is left in the artifact folder");
        }
    }

    private async Task<RunRow?> WaitForEndAsync(string runId, string pipeline)
    {
        RunRow? run = null;
        await Poll.UntilAsync(async () =>
        {
            run = await _sandbox!.RunAsync(pipeline, runId);
            return run?.Status is "succeeded" or "failed" or "cancelled";
        }, RunBound);
        return run;
    }

    /// <summary>Temporary files, and zips that do not open (half written); the test's own filler is not one.</summary>
    private List<string> LeftOvers()
    {
        if (!Directory.Exists(Artifacts))
        {
            return [];
        }

        var files = Directory.EnumerateFiles(Artifacts, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "filler.bin").ToList();
        return [.. files.Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)), .. files.Where(f => f.EndsWith(".zip", StringComparison.Ordinal) && !OpensAsZip(f))];
    }

    private static bool OpensAsZip(string file)
    {
        try
        {
            using var zip = ZipFile.OpenRead(file);
            return zip.Entries.Count > 0;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
