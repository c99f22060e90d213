using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Runs;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Evaluations;

/// <summary>
/// <c>mlops evals</c> after a real run of the bike-rentals sample with <c>slices</c>: the store holds the train step's
/// and the evaluate step's numbers, slice by slice, under the version deploy registered, equal to the run's own.
/// </summary>
[TestFixture(StorageEngine.Sqlite)]
[TestFixture(StorageEngine.Postgres, Category = "Postgres")]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed class EvalsCommandTests(StorageEngine engine)
{
    private const string Model = "bike-rentals-sliced";

    private CliSession _session = null!;
    private JsonNode _run = null!;

    [OneTimeSetUp]
    public async Task RunTheSlicedPipeline()
    {
        _session = await CliSession.OpenAsync(engine, database: "cli_evals");
        var data = Path.Combine(_session.DataRoot, "data");
        Directory.CreateDirectory(data);
        File.Copy(RepositoryPaths.Combine("samples", "bike-rentals", "data", "bike-rentals.csv"), Path.Combine(data, "bike-rentals.csv"));
        var yaml = File.ReadAllText(RepositoryPaths.Combine("samples", "bike-rentals", "pipeline.yaml"))
            .Replace("name: bike-rentals-quickstart", $"name: {Model}", StringComparison.Ordinal)
            .Replace("      rmse: { max_increase: 0.1 }", "      rmse: { max_increase: 0.1 }\n    slices: [season, { column: temp, bins: [0, 10, 20, 30] }]", StringComparison.Ordinal);
        Assert.That(yaml, Does.Contain("slices: [season"));
        var file = Path.Combine(_session.DataRoot, "pipeline.yaml");
        File.WriteAllText(file, yaml);
        (_, _run) = await _session.JsonAsync(0, "run", file);
    }

    [OneTimeTearDown]
    public void TearDown() => _session?.Dispose();

    [Test]
    public async Task Evals_Json_HoldsTheRunsNumbersUnderVersion1SliceBySlice()
    {
        var (_, json) = await _session.JsonAsync(0, "evals", Model);

        var rows = json["evaluations"]!.AsArray().Select(e => e!).ToList();
        var chosen = Strings(Step(_run, "evaluate"), "outputs")["chosen"];
        var evaluate = Metrics(Step(_run, "evaluate"));
        var train = Metrics(Step(_run, chosen));
        var runId = RunId(_run);
        double Value(string step, string slice, string metric) => rows
            .Single(r => Str(r, "stepId") == step && Str(r, "slice") == slice && Str(r, "metric") == metric)["value"]!.GetValue<double>();
        Assert.Multiple(() =>
        {
            Assert.That(Str(json, "model"), Is.EqualTo(Model));
            Assert.That(rows.Select(r => Str(r, "runId")).Distinct(), Is.EqualTo(new[] { runId }));
            Assert.That(Value("evaluate", "*", "rmse"), Is.EqualTo(evaluate["rmse"]), "the evaluate step's own number");
            Assert.That(Value(chosen, "*", "r_squared"), Is.EqualTo(train["r_squared"]), "the train step's own number");
            Assert.That(rows.Where(r => Str(r, "stepId") == "evaluate").Select(r => r!["version"]!.GetValue<int>()).Distinct(), Is.EqualTo(new[] { 1 }),
                "the chosen candidate's numbers belong to the version deploy registered");
            // The time split's test rows are the newest fifth of the year: summer and autumn.
            Assert.That(rows.Where(r => Str(r, "sliceColumn") == "season").Select(r => Str(r, "slice")).Distinct(),
                Is.EquivalentTo(new[] { "season=autumn", "season=summer" }));
            Assert.That(rows.Where(r => Str(r, "sliceColumn") == "temp").Select(r => Str(r, "slice")), Has.Some.EqualTo("20<=temp<30"));
            Assert.That(rows.Where(r => Str(r, "sliceColumn") == "season" && Str(r, "metric") == "rmse").Sum(r => r!["rows"]!.GetValue<int>()),
                Is.EqualTo(rows.First(r => Str(r, "stepId") == "evaluate" && Str(r, "slice") == "*")["rows"]!.GetValue<int>()), "the season slices cut the evaluation rows");
            Assert.That(rows.Select(r => Str(r, "dataHash")).Distinct().Single(), Does.Match("^[0-9a-f]{64}$"), "the data_prep step's hash");
        });
    }

    [Test]
    public async Task Evals_VersionAndSlice_TableOfThatColumnOnly()
    {
        var result = await _session.RunAsync("evals", Model, "--version", "1", "--slice", "season");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("VERSION  ROLE"));
            Assert.That(lines.Skip(1), Has.All.StartWith("v1 "));
            Assert.That(lines.Skip(1), Has.All.Contains(" season="));
            Assert.That(result.Stdout, Does.Contain("season=summer").And.Contain("rmse"));
        });
    }

    [TestCase("no-such-model", null, "error: unknown model 'no-such-model'")]
    [TestCase(Model, "7", $"error: model '{Model}' has no version 7 (registered: 1)")]
    [TestCase(Model, "0", "error: invalid version 0; versions are numbered from 1")]
    public async Task Evals_UnknownModelOrVersion_ExitTwoWithTheReason(string model, string? version, string expected)
    {
        var result = version is null ? await _session.RunAsync("evals", model) : await _session.RunAsync("evals", model, "--version", version);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.StartWith(expected));
        Assert.That(result.Stdout, Is.Empty);
    }
}
