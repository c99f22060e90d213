using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Cluster;

/// <summary>
/// A cluster whose processes share nothing but PostgreSQL: every <c>serve</c> and <c>worker</c> gets an empty home
/// folder of its own, so whatever one reads of another's work (prepared data, model zips, schemas, the data-protection
/// key ring) came through the database.
/// </summary>
[Category("cluster")]
public sealed partial class SeparateHomesClusterTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task KillProcesses() => _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

    /// <remarks>
    /// Serve A gets one executor (<c>--workers 1</c>) kept busy by a run of another pipeline, so the run
    /// it queues goes to worker B; serve C starts only once B has claimed the run, so C executes none of it.
    /// </remarks>
    [Test]
    public async Task RunQueuedByServeA_ExecutedByWorkerB_ApprovedThroughServeCWithServeAsForm_ServedByServeC()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("separate_homes");
        await Task.WhenAll(sandbox.WriteChurnDataAsync("churn.csv", 1500), sandbox.WriteChurnDataAsync("big.csv", 20000));
        var pipeline = new ChurnPipeline("churn", "churn.csv");
        var blocker = new ChurnPipeline("blocker", "big.csv") { FastTreeTrees = 600 };
        sandbox.WritePipeline(pipeline.Name, pipeline.ToYaml().Replace("    kind: deploy\n", "    kind: deploy\n    automated: false\n", StringComparison.Ordinal));
        sandbox.WritePipeline(blocker.Name, blocker.ToYaml());

        var serveA = await sandbox.StartServeAsync("serve-A", ownHome: true, arguments: ["--workers", "1"]);
        var blockerRun = await serveA.StartRunAsync(blocker.Name);
        var blockerOnA = await Poll.UntilAsync(async () => (await sandbox.RunAsync(blocker.Name, blockerRun))?.OwnerPid == serveA.Process.Id, TimeSpan.FromSeconds(30));
        Assert.That(blockerOnA, Is.True, $"the blocker run occupies serve A's one executor: {await sandbox.RunAsync(blocker.Name, blockerRun)}");
        var workerB = await sandbox.StartWorkerAsync("worker-B", ownHome: true);

        var runId = await serveA.StartRunAsync(pipeline.Name);
        RunRow? run = null;
        var waiting = await Poll.UntilAsync(async () => (run = await sandbox.RunAsync(pipeline.Name, runId))?.Status == "awaiting_approval", RunTimeout);
        Assert.That(waiting, Is.True, $"run {runId} reaches the approval of its deploy step: {run}");
        Assert.That(Started(workerB.Process, runId), Is.True, "worker B executed the run");
        Assert.That(Started(serveA.Process, runId), Is.False, "serve A did not");

        var serveC = await sandbox.StartServeAsync("serve-C", ownHome: true);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(serveA.Page($"/runs/{runId}"));
        var token = FormToken().Match(page);
        Assert.That(token.Success, Is.True, "serve A renders the approve form: " + page[..Math.Min(page.Length, 2000)]);
        using var approve = new HttpRequestMessage(HttpMethod.Post, serveC.Page($"/runs/{runId}/steps/deploy/approve"))
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups["token"].Value))]),
        };
        approve.Headers.Add("Origin", serveC.Address.GetLeftPart(UriPartial.Authority));
        using var approved = await browser.SendAsync(approve);
        Assert.That((int)approved.StatusCode, Is.EqualTo(303), $"serve C accepts the form serve A rendered: {await approved.Content.ReadAsStringAsync()}");

        var succeeded = await Poll.UntilAsync(async () => (run = await sandbox.RunAsync(pipeline.Name, runId))?.Status == "succeeded", RunTimeout);
        Assert.That(succeeded, Is.True, $"run {runId} deploys after the approval: {run}");
        using var content = new StringContent(
            """{"contract":"monthly","payment":"card","monthly_charges":70.5,"last_note":"outage again this week","tenure_months":3,"support_calls":4,"outages":2}""",
            Encoding.UTF8, "application/json");
        using var predicted = await serveC.Http.PostAsync(new Uri($"api/models/{pipeline.Name}/predict", UriKind.Relative), content);
        var answer = await predicted.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(predicted.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"serve C scores with the model worker B trained: {answer}");
            Assert.That(predicted.Headers.TryGetValues("X-Model-Version", out var version) ? version.Single() : null, Is.EqualTo("1"));
            Assert.That(JsonNode.Parse(answer)!.ToJsonString(), Does.Contain("probability").IgnoreCase, answer);
            Assert.That(Directory.Exists(Path.Combine(sandbox.OwnHome("serve-C"), "artifacts")), Is.False, "serve C has no artifact folder: the model came from the database");
            Assert.That(Directory.EnumerateFiles(Path.Combine(sandbox.OwnHome("serve-C"), "cache", "artifacts"), "*.zip", SearchOption.AllDirectories), Is.Not.Empty,
                "the model zip is in serve C's own cache");
        }
    }

    /// <remarks>
    /// The worker is killed (SIGKILL) while it stores an artifact when that moment can be caught (a chunk insert in
    /// flight), else while its run trains. Either way no name in the database leads to a partial blob, and the run
    /// resumes on another node (the other worker, or serve once its blocker run is over) after its last finished step.
    /// </remarks>
    [Test]
    [Category(Faults.FaultSuite.Category)]
    public async Task WorkerKilledMidRun_NoPartialArtifactVisible_RunResumesOnTheOtherWorkerFromItsLastFinishedStep()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("separate_homes_kill");
        await Task.WhenAll(sandbox.WriteChurnDataAsync("big.csv", 30000), sandbox.WriteChurnDataAsync("blocker.csv", 30000));
        var slow = new ChurnPipeline("slow", "big.csv") { FastTreeTrees = 800 };
        var blocker = new ChurnPipeline("blocker", "blocker.csv") { FastTreeTrees = 2000 };
        sandbox.WritePipeline(slow.Name, slow.ToYaml());
        sandbox.WritePipeline(blocker.Name, blocker.ToYaml());

        // Serve's one executor is kept busy by a long run of another pipeline, so the run under test goes to a worker.
        var serve = await sandbox.StartServeAsync("serve", ownHome: true, arguments: ["--workers", "1"]);
        var blockerRun = await serve.StartRunAsync(blocker.Name);
        var blockerOnServe = await Poll.UntilAsync(async () => (await sandbox.RunAsync(blocker.Name, blockerRun))?.OwnerPid == serve.Process.Id, TimeSpan.FromSeconds(30));
        Assert.That(blockerOnServe, Is.True, "the blocker run occupies serve's one executor");
        var workers = await Task.WhenAll(sandbox.StartWorkerAsync("worker-1", ownHome: true), sandbox.StartWorkerAsync("worker-2", ownHome: true));
        var runId = await serve.StartRunAsync(slow.Name);

        RunRow? run = null;
        var owned = await Poll.UntilAsync(async () => (run = await sandbox.RunAsync(slow.Name, runId))?.OwnerPid is not null, TimeSpan.FromSeconds(30));
        Assert.That(owned, Is.True, $"run {runId} is claimed: {run}");
        var victim = workers.Select(w => w.Process).SingleOrDefault(p => p.Id == run!.OwnerPid);
        Assert.That(victim, Is.Not.Null, $"the run went to a worker, not serve (pid {serve.Process.Id}): {run}");

        var training = await Poll.UntilAsync(async () => (await sandbox.StepsAsync(runId)).Any(s => s.StepId == "train" && s.Status == "running"), TimeSpan.FromSeconds(60));
        Assert.That(training, Is.True, $"run {runId} reaches its train step");
        var midWrite = await Poll.UntilAsync(() => ChunkInsertInFlightAsync(sandbox, victim!.Name), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(5));
        var before = await sandbox.StepsAsync(runId);
        await victim!.KillAsync();
        await TestContext.Out.WriteLineAsync($"killed {victim.Name} {(midWrite ? "while it stored an artifact" : "while it trained (no chunk insert caught)")}; steps: {string.Join("; ", before)}");

        var consistent = await IncompleteArtifactsAsync(sandbox);
        var finished = await Poll.UntilAsync(async () => (run = await sandbox.RunAsync(slow.Name, runId))!.Status is "succeeded" or "failed" or "cancelled", TimeSpan.FromSeconds(180), TimeSpan.FromMilliseconds(500));
        var after = await sandbox.StepsAsync(runId);
        var finishedPrep = before.Single(s => s.StepId == "prep");
        var survivor = workers.Select(w => w.Process).Single(p => p != victim);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(consistent, Is.Empty, "no name in the database leads to a partial artifact");
            Assert.That(finished, Is.True, $"the run ends: {run}");
            Assert.That(run!.Status, Is.EqualTo("succeeded"), $"{run}; steps: {string.Join("; ", after)}");
            Assert.That(after.Single(s => s.StepId == "prep"), Is.EqualTo(finishedPrep), "the finished prep step is not redone: its artifacts come from the database");
            Assert.That(after.Single(s => s.StepId == "train").Attempts, Is.EqualTo(2), "the train step cut off by the kill runs again");
            // The other worker, or serve once its blocker run is over: either is a node with a home of its own.
            Assert.That(
                new[] { survivor, serve.Process }.Where(p => p.StderrLines($"Run {runId} succeeded").Count > 0).Select(p => p.Name),
                Is.Not.Empty,
                $"another node ({survivor.Name} or {serve.Process.Name}) finished the run");

            Assert.That(await IncompleteArtifactsAsync(sandbox), Is.Empty);
            Assert.That((await sandbox.ModelVersionsAsync(slow.Name)).Count, Is.EqualTo(1), "exactly one model version");
        }
    }

    /// <remarks>
    /// The one moment the test above can only hope to catch, made certain: a process writing a large artifact (256 MiB,
    /// hundreds of chunks, through <c>mlops migrate-artifacts</c> from its own home) is killed (SIGKILL) while its chunks
    /// are being inserted. Nothing of the write is visible afterwards (no name, no content, no chunk), and the write done
    /// again from the start stores the whole file under its name.
    /// </remarks>
    [Test]
    [Category(Faults.FaultSuite.Category)]
    public async Task ArtifactWriterKilledMidWrite_LeavesNothingVisible_AndTheWriteDoneAgainStoresItWhole()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("separate_homes_midwrite");
        const string Relative = "runs/r1/train/model.zip";
        var home = sandbox.OwnHome("writer");
        var file = Path.Combine(home, "artifacts", Relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var bytes = new byte[256 << 20];
        new Random(17).NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

        bool midWrite;
        await using (var writer = MlopsProcess.Start("writer", sandbox.Root, null, ["migrate-artifacts", .. sandbox.StateArgumentsWith(home, "writer")]))
        {
            midWrite = await Poll.UntilAsync(() => ChunkInsertInFlightAsync(sandbox, "writer"), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(5));
            await writer.KillAsync();
            Assert.That(midWrite, Is.True, $"the writer was caught inserting chunks: {writer.Output}");
        }

        var gone = await Poll.UntilAsync(async () => await CountAsync(sandbox, "pg_stat_activity WHERE application_name = 'writer'") == 0, TimeSpan.FromSeconds(30));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(gone, Is.True, "the killed writer's database session ends");
            Assert.That(await CountAsync(sandbox, "mlops.artifact_names"), Is.Zero, "no name points at the interrupted write");
            Assert.That(await CountAsync(sandbox, "mlops.artifact_blobs"), Is.Zero, "no content row of it");
            Assert.That(await CountAsync(sandbox, "mlops.artifact_chunks"), Is.Zero, "no chunk of it");
        }

        var (exit, _, stderr) = await ClusterSandbox.CliAsync(["migrate-artifacts", .. sandbox.StateArgumentsWith(home, "writer-again")]);
        Assert.That(exit, Is.Zero, stderr);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await sandbox.TextRowsAsync("SELECT path || ' ' || hash || ' ' || size FROM mlops.artifact_names"), Is.EqualTo(new[] { $"{Relative} {hash} {bytes.Length}" }));
            Assert.That(await IncompleteArtifactsAsync(sandbox), Is.Empty, "its chunks add up to the whole file");
        }
    }

    private static async Task<long> CountAsync(ClusterSandbox sandbox, string from)
    {
        await using var connection = new NpgsqlConnection(sandbox.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {from}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Whether <paramref name="process"/> logged that it started executing the run.</summary>
    private static bool Started(MlopsProcess process, string runId) =>
        process.StderrLines($"Run {runId} of ").Any(l => l.TrimEnd().EndsWith(" started", StringComparison.Ordinal));

    /// <summary>Whether some connection is inserting artifact chunks right now (a write of an artifact in flight).</summary>
    private static async Task<bool> ChunkInsertInFlightAsync(ClusterSandbox sandbox, string process)
    {
        await using var connection = new NpgsqlConnection(sandbox.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() " +
            "AND application_name = @process AND xact_start IS NOT NULL AND query LIKE 'INSERT INTO mlops.artifact_chunks%'", connection);
        command.Parameters.AddWithValue("process", process);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>Every name whose blob is missing or whose chunks do not add up to its recorded size.</summary>
    private static async Task<IReadOnlyList<string>> IncompleteArtifactsAsync(ClusterSandbox sandbox)
    {
        await using var connection = new NpgsqlConnection(sandbox.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT n.path || ' ' || n.size || ' vs ' || coalesce(sum(length(c.bytes)), -1) FROM mlops.artifact_names n " +
            "LEFT JOIN mlops.artifact_chunks c ON c.hash = n.hash GROUP BY n.path, n.size HAVING coalesce(sum(length(c.bytes)), -1) <> n.size", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var bad = new List<string>();
        while (await reader.ReadAsync())
        {
            bad.Add(reader.GetString(0));
        }

        return bad;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex FormToken();
}
