using System.Text.Json;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// Acceptance: "The README's main command, on a fresh clone, ends with a succeeded run, its level, its metrics and a
/// registered model version; <c>mlops predict</c> then scores with it." The main command
/// (<c>mlops run samples/bike-rentals/pipeline.yaml</c>) runs once per storage engine against a fresh home (and a
/// fresh database), reading the sample data of the repository as committed; the tests then look at what it left.
/// </summary>
[TestFixture(StorageEngine.Sqlite)]
[TestFixture(StorageEngine.Postgres, Category = "Postgres")]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed class QuickstartRunTests(StorageEngine engine)
{
    private const string Model = "bike-rentals-quickstart";

    /// <summary>A commuter hour on a summer weekday, in the README's own words.</summary>
    private const string CommuteHour =
        """{"season":"summer","hour":8,"weekday":"mon","holiday":false,"weather":"clear","temp":22,"humidity":0.5,"windspeed":10,"note":""}""";

    /// <summary>The middle of a snowy winter night.</summary>
    private const string WinterNight =
        """{"season":"winter","hour":3,"weekday":"sun","holiday":false,"weather":"snow","temp":-6,"humidity":0.9,"windspeed":25,"note":""}""";

    private CliSession _session = null!;
    private CliResult _run = null!;
    private JsonNode _runJson = null!;

    private static string PipelineFile => RepositoryPaths.Combine("samples", "bike-rentals", "pipeline.yaml");

    [OneTimeSetUp]
    public async Task RunTheReadmeMainCommand()
    {
        _session = await CliSession.OpenAsync(engine, dataRoot: RepositoryPaths.Root, database: "quickstart");
        (_run, _runJson) = await _session.JsonAsync(0, "run", PipelineFile);
    }

    [OneTimeTearDown]
    public void TearDown() => _session?.Dispose();

    [Test]
    public void Run_ReadmeMainCommand_SucceedsAtLevel3WithMetricsAndModelVersion1()
    {
        var evaluate = Step(_runJson, "evaluate");
        var metrics = Metrics(evaluate);
        Assert.Multiple(() =>
        {
            Assert.That(Status(_runJson), Is.EqualTo("succeeded"), _run.ToString());
            Assert.That(Str(_runJson, "pipeline"), Is.EqualTo(Model));
            Assert.That(Str(_runJson, "trigger"), Is.EqualTo("manual"));
            Assert.That(Str(_runJson, "mode"), Is.EqualTo("full"));
            Assert.That(_runJson["level"]!.GetValue<int>(), Is.EqualTo(3), "a cron trigger, gates and an automated deploy, no monitor");
            Assert.That(_runJson["levelReasons"]!.AsArray().Select(r => r!.GetValue<string>()), Has.Some.Contains("level 4").And.Some.Contains("monitor"));
            Assert.That(Str(_runJson, "pipelineVersion"), Does.Match("^[0-9a-f]{64}$"));
            Assert.That(Steps(_runJson).Select(s => Status(s!)), Is.All.EqualTo("succeeded"));
            Assert.That(Steps(_runJson).Select(s => Str(s, "id")), Is.EqualTo(new[] { "prep", "train-trees", "train-linear", "evaluate", "deploy" }));
            Assert.That(metrics.Keys, Is.SupersetOf(new[] { "r_squared", "rmse", "mae" }), "metric names are the ones the gates use");
            Assert.That(metrics["r_squared"], Is.GreaterThanOrEqualTo(0.6), "the gate r_squared >= 0.6 passed");
            Assert.That(metrics["rmse"], Is.GreaterThan(0));
            Assert.That(Strings(evaluate, "outputs")["chosen"], Is.AnyOf("train-trees", "train-linear"));
            Assert.That(Str(ModelRef(_runJson), "name"), Is.EqualTo(Model));
            Assert.That(ModelRef(_runJson)!["version"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    [Test]
    public void Run_ReadmeMainCommand_ShowsLiveProgressOnStderrAndOnlyJsonOnStdout()
    {
        var runId = RunId(_runJson);
        Assert.Multiple(() =>
        {
            Assert.That(_run.Stderr, Does.Contain($"run {runId}: {Model}, level 3"));
            foreach (var step in new[] { "prep", "train-trees", "train-linear", "evaluate", "deploy" })
            {
                Assert.That(_run.Stderr, Does.Contain($"[{step}] started"));
                Assert.That(_run.Stderr, Does.Contain($"[{step}] succeeded"));
            }

            Assert.That(_run.Stdout.TrimStart(), Does.StartWith("{"), "nothing but the JSON document on stdout");
            Assert.That(_run.Stdout, Does.Not.Contain("[prep]"));
        });
    }

    [Test]
    public async Task Show_Text_EndsWithStatusLevelMetricsAndModelVersion()
    {
        var runId = RunId(_runJson);

        var show = await _session.RunAsync("show", runId);

        Assert.That(show.ExitCode, Is.EqualTo(0), show.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(show.Stdout, Does.Contain($"run {runId}  succeeded"));
            Assert.That(show.Stdout, Does.Contain("level 3 (Automated deployment)"));
            Assert.That(show.Stdout, Does.Match(@"evaluate\s+evaluate\s+succeeded.*r_squared=0\.\d+"));
            Assert.That(show.Stdout, Does.Contain($"model {Model} version 1"));
        });
    }

    [Test]
    public async Task Predict_RealisticRows_ScoresWithTheDeployedVersion()
    {
        var one = await _session.RunAsync("predict", Model, "--input", CommuteHour);
        var many = await _session.RunAsync("predict", Model, "--input", $"[{CommuteHour},{WinterNight}]", "--json");

        Assert.That(one.ExitCode, Is.EqualTo(0), one.ToString());
        Assert.That(many.ExitCode, Is.EqualTo(0), many.ToString());
        var single = CliSession.ParseJson(one);
        var array = CliSession.ParseJson(many).AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(single is JsonObject { Count: 1 } && single["score"]?.GetValueKind() == JsonValueKind.Number, Is.True, $"expected {{ \"score\": number }}, got {single.ToJsonString()}");
            Assert.That(single["score"]!.GetValue<double>(), Is.GreaterThan(50), "a summer weekday commute hour rents many bikes");
            Assert.That(one.Stderr, Does.Contain($"scored with {Model} version 1 (production)"));
            Assert.That(array, Has.Count.EqualTo(2));
            Assert.That(array[0]!["score"]!.GetValue<double>(), Is.EqualTo(single["score"]!.GetValue<double>()).Within(1e-4), "scoring is deterministic");
            Assert.That(array[1]!["score"]!.GetValue<double>(), Is.LessThan(array[0]!["score"]!.GetValue<double>()), "a snowy winter night rents fewer bikes than a summer commute");
        });
    }

    [Test]
    public async Task Show_Json_HasEveryStepWithStatusAttemptsTimesMetricsArtifactsAndError()
    {
        var run = await _session.ShowAsync(RunId(_runJson));

        AssertRunShape(run);
        var prep = Step(run, "prep");
        var trees = Step(run, "train-trees");
        Assert.Multiple(() =>
        {
            Assert.That(run.ToJsonString(), Is.EqualTo(_runJson.ToJsonString()), "show --json prints the run as run --json did");
            foreach (var step in Steps(run))
            {
                AssertStepShape(step!);
                Assert.That(Attempts(step!), Is.EqualTo(1));
                Assert.That(Time(step, "startedAt"), Is.Not.Null);
                Assert.That(Time(step, "finishedAt"), Is.Not.Null);
                Assert.That(step!["error"], Is.Null);
                Assert.That(At(step, "startedAt"), Is.GreaterThanOrEqualTo(At(run, "startedAt")));
                Assert.That(At(step, "finishedAt"), Is.LessThanOrEqualTo(At(run, "finishedAt")));
            }

            Assert.That(Str(prep, "kind"), Is.EqualTo("data_prep"));
            Assert.That(Metrics(prep)["rows_read"], Is.EqualTo(6000), "the committed sample has 6,000 rows");
            Assert.That(Strings(prep, "artifacts").Keys, Is.SupersetOf(new[] { "train", "test", "schema", "profile" }));
            Assert.That(Strings(trees, "artifacts").Keys, Does.Contain("model"));
            Assert.That(Metrics(trees).Keys, Is.SupersetOf(new[] { "r_squared", "rmse", "mae" }));
            foreach (var artifact in Strings(prep, "artifacts").Values.Concat(Strings(trees, "artifacts").Values))
            {
                Assert.That(_session.ArtifactExists(artifact), Is.True, $"artifact {artifact} is stored (under home/artifacts, or in the database)");
            }
        });
    }

    [Test]
    public async Task Models_Json_RecordsTheVersionWithLineageAndWhoMovedProduction()
    {
        var models = await _session.ModelsAsync(Model);

        var version = models["versions"]!.AsArray().Single()!;
        var history = AliasHistory(models).Single()!;
        var prep = Step(_runJson, "prep");
        Assert.Multiple(() =>
        {
            Assert.That(Str(models, "name"), Is.EqualTo(Model));
            Assert.That(Alias(models, "production"), Is.EqualTo(1));
            Assert.That(version["version"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(Str(version, "runId"), Is.EqualTo(RunId(_runJson)));
            Assert.That(Str(version, "pipelineVersion"), Is.EqualTo(Str(_runJson, "pipelineVersion")));
            Assert.That(Str(version, "dataHash"), Is.EqualTo(Strings(prep, "outputs")["data_hash"]));
            Assert.That(Metrics(version), Is.EquivalentTo(Metrics(Step(_runJson, "evaluate")).Where(m => !m.Key.StartsWith("production_", StringComparison.Ordinal))));
            Assert.That(Time(version, "createdAt"), Is.Not.Null);
            Assert.That(Str(history, "alias"), Is.EqualTo("production"));
            Assert.That(history["version"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(history["previousVersion"], Is.Null);
            Assert.That(Str(history, "by"), Does.Contain(RunId(_runJson)));
            Assert.That(Time(history, "at"), Is.Not.Null);
        });
    }
}
