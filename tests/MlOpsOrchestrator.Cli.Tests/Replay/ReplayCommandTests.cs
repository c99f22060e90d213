using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Replay;

/// <summary>
/// <c>mlops replay</c> as a user runs it, on a small generated stream: the JSON it promises, baselines on the same
/// rows, no peeking at rows after a run's time, the same numbers twice, bad input (exit 2) and an interrupted replay,
/// none of which touches the user's home.
/// </summary>
[NonParallelizable] // Sets MLOPS_HOME for the process.
public sealed partial class ReplayCommandTests
{
    private const string NightlyFull = "full:0 0 5 * * ?";
    private TempFolder _folder = null!;
    private EnvironmentScope _environment = null!;

    private string Home => _folder.Combine("home");

    private string PipelineFile => _folder.Combine("pipeline.yaml");

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        _folder.Write("pipeline.yaml", ReplayData.Pipeline());
        _folder.Write("data/stream.csv", ReplayData.Csv());
        _environment = EnvironmentScope.Set(("MLOPS_HOME", Home), ("MLOPS_POSTGRES", null));
    }

    [TearDown]
    public void TearDown()
    {
        _environment.Dispose();
        _folder.Dispose();
    }

    [Test]
    public async Task Replay_Json_HasThePromisedShapeAndRunsEveryBaselineOnTheSameRows()
    {
        var (result, json) = await ReplayJsonAsync("--baseline", "static", "--baseline", NightlyFull);

        var policy = json["policy"]!.AsObject();
        var baselines = json["baselines"]!.AsArray();
        var periods = json["periods"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(Keys(json), Is.SupersetOf(new[] { "pipeline", "from", "to", "metric", "policy", "baselines", "periods" }));
            Assert.That(json["pipeline"]!.GetValue<string>(), Is.EqualTo("replay-stream"));
            Assert.That(json["metric"]!.GetValue<string>(), Is.EqualTo("mae"), "the evaluate step's primary metric");
            Assert.That(Keys(policy), Is.SupersetOf(new[] { "value", "runs", "deploys", "regressiveDeploys", "trainSeconds" }));
            Assert.That(baselines.Select(b => b!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "static", NightlyFull }));
            Assert.That(baselines.Select(b => Keys(b!.AsObject())), Is.All.SupersetOf(new[] { "name", "value", "runs", "trainSeconds" }));
            Assert.That(periods, Is.Not.Empty);
            Assert.That(periods.Select(p => Keys(p!.AsObject())), Is.All.SupersetOf(new[] { "start", "policy", "baselines" }));
            Assert.That(Keys(periods[0]!["baselines"]!.AsObject()), Is.EquivalentTo(new[] { "static", NightlyFull }));
        });
        Assert.Multiple(() =>
        {
            Assert.That(policy["value"]!.GetValue<double>(), Is.GreaterThan(0));
            Assert.That(policy["runs"]!.GetValue<int>(), Is.GreaterThan(Days()), "an incremental run and a monitor run most days");
            Assert.That(policy["deploys"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
            Assert.That(baselines[0]!["runs"]!.GetValue<int>(), Is.EqualTo(1), "static trains once, at the start");
            Assert.That(baselines[1]!["runs"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(Days() - 1), "a full run every night");
            Assert.That(baselines.Select(b => b!["scoredRows"]!.GetValue<int>()), Is.All.EqualTo(policy["scoredRows"]!.GetValue<int>()), "the same rows for every schedule");
            Assert.That(baselines[1]!["value"]!.GetValue<double>(), Is.LessThan(baselines[0]!["value"]!.GetValue<double>()),
                "after the drift the nightly retrain must beat a model that never learns again");
            Assert.That(Directory.Exists(Home), Is.False, "the user's home is never opened");
        });
        Assert.That(result.Stderr, Does.Contain("deleted at the end"));
        Assert.That(Directory.Exists(Scratch(result)), Is.False, "the throwaway homes are gone");
    }

    [Test]
    public async Task Replay_RowsAfterARunsTime_DoNotChangeWhatItSaw()
    {
        // The same stream, except that everything from day 9 on is rewritten: models trained before day 9 must be the
        // same, so the periods before it score the same. A replay that let a run see later rows would differ there.
        var (_, original) = await ReplayJsonAsync("--period", "day");
        var change = ReplayData.Start.AddDays(9);
        _folder.Write("data/stream.csv", ReplayData.Csv(changeFrom: change));
        var (_, rewritten) = await ReplayJsonAsync("--period", "day");

        var before = Periods(original).Where(p => p.Start < change).ToList();
        var after = Periods(original).Where(p => p.Start >= change).ToList();
        Assert.That(before, Has.Count.GreaterThanOrEqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(Periods(rewritten).Where(p => p.Start < change), Is.EqualTo(before), "periods before the rewritten rows");
            Assert.That(Periods(rewritten).Where(p => p.Start >= change), Is.Not.EqualTo(after), "the rewrite does change the later periods");
        });
    }

    [Test]
    public async Task Replay_TwiceOnTheSameInput_GivesTheSameNumbers()
    {
        var (_, first) = await ReplayJsonAsync("--baseline", "static");
        var (_, second) = await ReplayJsonAsync("--baseline", "static");

        Assert.That(Numbers(second), Is.EqualTo(Numbers(first)));
    }

    [Test]
    public async Task Replay_PipelineWithoutTimestamp_ExitsTwoSayingWhy()
    {
        _folder.Write("pipeline.yaml", ReplayData.NightlyPipelineWithoutTimestamp);

        var result = await ReplayAsync();

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("no data.timestamp"));
        Assert.That(Directory.Exists(Home), Is.False);
    }

    [TestCase("--from", "2024-06-01T00:00:00Z", "is before the first row")]
    [TestCase("--to", "2026-01-01T00:00:00Z", "is after the newest row")]
    [TestCase("--from", "2025-01-12T23:00:00Z", "is not before the newest row")]
    [TestCase("--baseline", "weekly", "--baseline 'weekly' is unknown")]
    [TestCase("--baseline", "full:every night", "the cron expression is not valid")]
    public async Task Replay_BadRangeOrBaseline_ExitsTwoSayingWhy(string option, string value, string reason)
    {
        var result = await ReplayAsync(option, value);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain(reason));
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(Directory.Exists(Home), Is.False, "the user's home is never touched");
    }

    [Test]
    public async Task Replay_InterruptedWhileRunning_LeavesNothingBehind()
    {
        using var stop = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new StopOnLine(stop, "deleted at the end");

        var exit = await MlOpsCli.RunAsync(["replay", PipelineFile, "--data-root", _folder.Path, "--baseline", NightlyFull], stdout, stderr, stop.Token);

        var text = stderr.ToString();
        Assert.That(exit, Is.EqualTo(1), text);
        Assert.That(ScratchFolder().IsMatch(text), Is.True, text);
        Assert.That(Directory.Exists(ScratchFolder().Match(text).Groups[1].Value), Is.False, "the throwaway homes are deleted when stopped");
        Assert.That(Directory.Exists(Home), Is.False, "the user's home is never touched");
    }

    [Test]
    public async Task Replay_Out_WritesTheJsonAndAChartOfEveryLine()
    {
        var result = await ReplayAsync("--baseline", "static", "--out", _folder.Combine("report"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var svg = await File.ReadAllTextAsync(_folder.Combine("report", "replay.svg"));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(_folder.Combine("report", "replay.json")))!;
        Assert.Multiple(() =>
        {
            Assert.That(svg, Does.StartWith("<svg").And.Contain("</svg>"));
            Assert.That(Regex.Count(svg, "<polyline"), Is.EqualTo(2), "the policy and the static baseline");
            Assert.That(svg, Does.Contain(">policy<").And.Contain(">static<").And.Contain("mae"));
            Assert.That(json["policy"]!["runs"]!.GetValue<int>(), Is.GreaterThan(0));
            Assert.That(result.Stdout, Does.Contain("policy").And.Contain("static").And.Contain("regressive"));
        });
    }

    [Test]
    public async Task Replay_Save_KeepsTheReportAndChartInTheHomeForTheDashboard()
    {
        var (result, json) = await ReplayJsonAsync("--baseline", "static", "--save");

        var folder = Path.Combine(Home, "replays", "replay-stream");
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "replay.json", "replay.svg" }), "no temporary file is left");
            Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "replay.json")))!.ToJsonString(), Is.EqualTo(json.ToJsonString()), "the report --json prints");
            Assert.That(File.ReadAllText(Path.Combine(folder, "replay.svg")), Does.StartWith("<svg").And.Contain(">static<"));
            Assert.That(Directory.GetFileSystemEntries(Home), Is.EqualTo(new[] { Path.Combine(Home, "replays") }), "nothing else of the home is written");
            Assert.That(result.Stderr, Does.Contain("saved the replay for the dashboard in " + folder));
        });
    }

    [Test]
    public async Task Replay_SaveInterruptedWhileRunning_LeavesNothingInTheHome()
    {
        using var stop = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new StopOnLine(stop, "deleted at the end");

        var exit = await MlOpsCli.RunAsync(["replay", PipelineFile, "--data-root", _folder.Path, "--baseline", NightlyFull, "--save"], stdout, stderr, stop.Token);

        Assert.That(exit, Is.EqualTo(1), stderr.ToString());
        Assert.That(Directory.Exists(Home), Is.False, "an interrupted replay saves nothing: the home is not even created");
    }

    [Test]
    public async Task Replay_Json_SplitsEachScheduleComputeByStepKind()
    {
        var (_, json) = await ReplayJsonAsync("--baseline", "static");

        var policy = json["policy"]!.AsObject();
        var split = policy["stepSeconds"]!.AsObject();
        var still = json["baselines"]![0]!["stepSeconds"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(Keys(split), Is.SupersetOf(new[] { "data_prep", "train", "evaluate", "deploy", "monitor" }), "every kind of step the policy ran");
            Assert.That(split.Sum(k => k.Value!.GetValue<double>()), Is.EqualTo(policy["trainSeconds"]!.GetValue<double>()).Within(0.01), "the split adds up to the compute column");
            Assert.That(Keys(still), Does.Not.Contain("monitor"), "static runs no monitor");
            Assert.That(Keys(still), Is.SupersetOf(new[] { "data_prep", "train" }));
        });
    }

    private static int Days() => ReplayData.Days - 4;

    private Task<CliResult> ReplayAsync(params string[] options) =>
        CliRun.RunAsync(["replay", PipelineFile, "--data-root", _folder.Path, .. options]);

    private async Task<(CliResult Result, JsonObject Json)> ReplayJsonAsync(params string[] options)
    {
        var result = await ReplayAsync([.. options, "--json"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        return (result, JsonNode.Parse(result.Stdout)!.AsObject());
    }

    private static List<string> Keys(JsonObject json) => [.. json.Select(p => p.Key)];

    private static List<(DateTime Start, double? Policy)> Periods(JsonObject json) =>
        [.. json["periods"]!.AsArray().Select(p => (p!["start"]!.GetValue<DateTime>(), p["policy"]?.GetValue<double>()))];

    /// <summary>Every number of the report but the times it took.</summary>
    private static string Numbers(JsonObject json)
    {
        var copy = json.DeepClone().AsObject();
        copy.Remove("elapsedSeconds");
        foreach (var track in new[] { copy["policy"]!.AsObject() }.Concat(copy["baselines"]!.AsArray().Select(b => b!.AsObject())))
        {
            track.Remove("trainSeconds");
            track.Remove("wallSeconds");
            track.Remove("stepSeconds");
        }

        return copy.ToJsonString();
    }

    private static string Scratch(CliResult result) => ScratchFolder().Match(result.Stderr).Groups[1].Value;

    [GeneratedRegex(@" in (\S+) \(deleted at the end\)")]
    private static partial Regex ScratchFolder();

    /// <summary>stderr that presses Ctrl+C once a line containing <paramref name="marker"/> is written.</summary>
    private sealed class StopOnLine(CancellationTokenSource stop, string marker) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true)
            {
                // At once, from another thread (as Ctrl+C does): a delay could let a fast machine finish the replay first.
                _ = Task.Run(stop.Cancel);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
