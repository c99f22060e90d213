using System.Text.Json.Nodes;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// Finding runs as operators type them: <c>mlops runs NAME</c> with a misspelt name says which pipelines have runs,
/// <c>mlops show</c> takes the start of a run id as git takes a commit's, and a run's <c>--param</c> values are shown
/// with it. Two runs of <c>samples/customer-churn/pipeline.yaml</c> (manual deploy: each stops awaiting approval).
/// </summary>
[TestFixture(StorageEngine.Sqlite)]
[TestFixture(StorageEngine.Postgres, Category = "Postgres")]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed class RunHistoryLookupTests(StorageEngine engine)
{
    private const string Pipeline = "customer-churn";

    private CliSession _session = null!;
    private string _first = null!;
    private string _second = null!;

    private static string PipelineFile => RepositoryPaths.Combine("samples", "customer-churn", "pipeline.yaml");

    [OneTimeSetUp]
    public async Task RunTwice()
    {
        _session = await CliSession.OpenAsync(engine, dataRoot: RepositoryPaths.Root, database: "history_lookup");
        _first = RunId((await _session.JsonAsync(3, "run", PipelineFile, "--param", "ticket=OPS-42", "--param", "by=nightly-check")).Json);
        _second = RunId((await _session.JsonAsync(3, "run", PipelineFile)).Json);
    }

    [OneTimeTearDown]
    public void TearDown() => _session?.Dispose();

    [Test]
    public async Task Runs_UnknownPipeline_ExitsTwoNamingThePipelinesWithRuns()
    {
        var result = await _session.RunAsync("runs", "nosuch");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.Stderr.Trim(), Is.EqualTo($"error: no pipeline 'nosuch' has runs; pipelines with runs: {Pipeline}"));
        }
    }

    [Test]
    public async Task Runs_UnknownPipeline_Json_EmptyArrayForScripts_TheHintOnStderr()
    {
        var (result, json) = await _session.JsonAsync(0, "runs", "nosuch");

        Assert.That(json.AsArray(), Is.Empty);
        Assert.That(result.Stderr, Does.Contain($"no pipeline 'nosuch' has runs; pipelines with runs: {Pipeline}"));
    }

    [Test]
    public async Task Runs_KnownPipeline_ListsItsRuns()
    {
        var result = await _session.RunAsync("runs", Pipeline);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain(_first).And.Contain(_second));
    }

    [Test]
    public async Task Runs_NamedPipelineOnAnEmptyHome_ExitsTwoSayingNoPipelineHasRunsYet()
    {
        using var fresh = await CliSession.OpenAsync(engine, database: "history_lookup_empty");

        var result = await fresh.RunAsync("runs", Pipeline);
        var all = await fresh.RunAsync("runs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain($"no pipeline '{Pipeline}' has runs; no pipeline has runs yet"));
            Assert.That(all.ExitCode, Is.EqualTo(0), $"without a name, an empty history is not an error\n{all}");
            Assert.That(all.Stderr, Does.Contain("no runs yet"));
        }
    }

    [Test]
    public async Task Show_UniquePrefix_ShowsThatRun()
    {
        var prefix = UniquePrefix(_first, _second);

        var (result, run) = await _session.JsonAsync(0, "show", prefix);

        Assert.That(RunId(run), Is.EqualTo(_first), result.ToString());
    }

    [Test]
    public async Task Show_AmbiguousPrefix_ExitsTwoListingTheMatches()
    {
        var result = await _session.RunAsync("show", $"{Pipeline}-");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.Stderr, Does.Contain($"'{Pipeline}-' is the start of 2 runs: ").And.Contain(_first).And.Contain(_second).And.Contain("type more of the run id"));
        }
    }

    [Test]
    public async Task Show_NoMatch_ExitsTwoAsAnUnknownRun()
    {
        var result = await _session.RunAsync("show", "nosuch-run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("unknown run 'nosuch-run'"));
    }

    [Test]
    public async Task Show_PrefixWithLikeWildcards_MatchesOnlyLiterally()
    {
        var result = await _session.RunAsync("show", "%");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("unknown run '%'"));
    }

    [Test]
    public async Task Show_RunWithParams_ShowsThemInTextAndJson()
    {
        var text = await _session.RunAsync("show", _first);
        var json = await _session.ShowAsync(_first);
        var without = await _session.ShowAsync(_second);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.StdoutLines, Does.Contain("parameters: by=nightly-check, ticket=OPS-42"), text.ToString());
            Assert.That(Strings(json, "parameters"), Is.EqualTo(new Dictionary<string, string> { ["ticket"] = "OPS-42", ["by"] = "nightly-check" }));
            Assert.That(without["parameters"]?.AsObject(), Is.Empty, "a run without --param has an empty object");
        }
    }

    [Test]
    public async Task Runs_Json_CarriesEachRunsParams()
    {
        var (_, runs) = await _session.JsonAsync(0, "runs", Pipeline);

        var first = runs.AsArray().Single(r => RunId(r!) == _first)!;
        Assert.That(Strings(first, "parameters"), Does.ContainKey("ticket").WithValue("OPS-42"));
    }

    /// <summary>The shortest start of <paramref name="id"/> that <paramref name="other"/> does not share.</summary>
    private static string UniquePrefix(string id, string other)
    {
        var length = 1;
        while (other.StartsWith(id[..length], StringComparison.Ordinal))
        {
            length++;
        }

        return id[..length];
    }
}
