using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// <c>mlops gc</c> on real runs, on each storage engine: <c>retention:</c> keeps the newest version and what an alias
/// points to; the dry run lists and deletes nothing; the collection deletes the version no alias wants, the run that
/// made it, its steps and its artifact files, and never what <c>production</c> points to.
/// </summary>
[TestFixture(StorageEngine.Sqlite)]
[TestFixture(StorageEngine.Postgres, Category = "Postgres")]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed class GarbageCollectionTests(StorageEngine engine)
{
    private const string Model = "rentals-gc";
    private CliSession _session = null!;

    [SetUp]
    public async Task SetUp()
    {
        _session = await CliSession.OpenAsync(engine, database: "gc");
        var data = Directory.CreateDirectory(_session.Temp.Combine("data")).FullName;
        File.Copy(RepositoryPaths.Combine("samples", "bike-rentals", "data", "bike-rentals.csv"), Path.Combine(data, "bike-rentals.csv"));
        File.WriteAllText(_session.Temp.Combine("pipeline.yaml"), """
            version: 1
            name: rentals-gc
            data:
              source: { type: csv, path: data/bike-rentals.csv }
              timestamp: ts
              label: rentals
              schema:
                ts: { type: datetime }
                season: { type: categorical }
                weekday: { type: categorical }
                weather: { type: categorical }
                holiday: { type: boolean }
                humidity: { type: float, missing: mean }
                note: { type: text }
            retention: { keep_versions: 1, keep_aliased_for: 1s, keep_runs_for: 1s }
            steps:
              - { id: prep, kind: data_prep, split: { by: time, test_fraction: 0.2 } }
              - { id: train, kind: train, needs: [prep], task: regression, trainer: sdca }
              - { id: evaluate, kind: evaluate, needs: [train], primary_metric: rmse }
              - { id: deploy, kind: deploy, needs: [evaluate] }
            """);
    }

    [TearDown]
    public void TearDown() => _session?.Dispose();

    [Test]
    public async Task Gc_ThreeVersionsProductionRolledBackToTheFirst_DeletesOnlyTheMiddleVersionWithItsRunAndFiles()
    {
        var file = _session.Temp.Combine("pipeline.yaml");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, run) = await _session.JsonAsync(0, "run", file);
            ids.Add(RunId(run));
        }

        var promote = await _session.RunAsync("promote", Model, "1");
        Assert.That(promote.ExitCode, Is.Zero, promote.ToString());
        var (_, middle) = await _session.JsonAsync(0, "show", ids[1]);
        var middleFiles = Steps(middle).SelectMany(s => s!["artifacts"]!.AsObject().Select(a => a.Value!.GetValue<string>())).ToList();
        Assert.That(middleFiles, Is.Not.Empty);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // older than keep_aliased_for and keep_runs_for

        var (_, dry) = await _session.JsonAsync(0, "gc", "--dry-run");
        var afterDry = await _session.ModelsAsync(Model);
        var filesAfterDry = middleFiles.Select(_session.ArtifactExists).ToList();
        var (_, done) = await _session.JsonAsync(0, "gc");
        var after = await _session.ModelsAsync(Model);
        var show = await _session.RunAsync("show", ids[1]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Listed(dry, "versions", "version"), Is.EqualTo(new[] { "2" }), dry.ToJsonString());
            Assert.That(Listed(dry, "runs", "runId"), Is.EqualTo(new[] { ids[1] }), "the run of version 2 goes with it; the others made kept versions");
            Assert.That(Versions(afterDry), Is.EqualTo(new[] { 1, 2, 3 }), "a dry run deletes nothing");
            Assert.That(filesAfterDry, Is.All.True, "a dry run deletes no file");

            Assert.That(Listed(done, "versions", "version"), Is.EqualTo(new[] { "2" }));
            Assert.That(Listed(done, "runs", "runId"), Is.EqualTo(new[] { ids[1] }));
            Assert.That(Versions(after), Is.EqualTo(new[] { 1, 3 }), "newest kept, production's kept");
            Assert.That(Alias(after, "production"), Is.EqualTo(1), "never what an alias points to");
            Assert.That(show.ExitCode, Is.EqualTo(2), show.ToString());
            Assert.That(middleFiles.Select(_session.ArtifactExists), Is.All.False, "the run's files went with it");
        }

        // What is kept still works: production (version 1) scores, and its run is still there.
        var predict = await _session.RunAsync("predict", Model, "--input", """{"season":"summer","hour":8,"weekday":"mon","holiday":false,"weather":"clear","temp":22,"humidity":0.5,"windspeed":10,"note":""}""");
        Assert.That(predict.ExitCode, Is.Zero, predict.ToString());
        Assert.That((await _session.RunAsync("show", ids[0])).ExitCode, Is.Zero);
        var (_, again) = await _session.JsonAsync(0, "gc");
        Assert.That(Listed(again, "versions", "version").Concat(Listed(again, "runs", "runId")), Is.Empty, "nothing more to collect");
    }

    private static List<string> Listed(JsonNode report, string list, string field) =>
        [.. report[list]!.AsArray().Select(i => i![field]!.ToString())];

    private static int[] Versions(JsonNode models) =>
        [.. models["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()).Order()];
}
