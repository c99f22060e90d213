using System.Text.Json;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Planning;

/// <summary>
/// <c>mlops plan</c> on the repository's five pipelines, one per maturity level: each prints its level, what holds,
/// and for every higher level the rule that blocks it.
/// </summary>
[TestFixture]
public sealed class PlanCommandTests
{
    private static string Pipeline(string name) => RepositoryPaths.Combine("pipelines", $"{name}.yaml");

    [TestCase("churn-exploration", 0, "No MLOps", "level 1: data_prep 'prep' is manual (automated: false); remove 'automated: false' to automate it")]
    [TestCase("ticket-routing-manual", 1, "DevOps, no MLOps", "level 2: train 'train' is manual (automated: false); remove 'automated: false' to automate it")]
    [TestCase("churn-nightly", 2, "Automated training", "level 3: deploy 'deploy' is manual (automated: false); remove 'automated: false' to automate it")]
    [TestCase("ticket-routing", 3, "Automated deployment", "level 4: no monitor step; add 'kind: monitor'")]
    [TestCase("bike-rentals", 4, "Automated retraining", null)]
    public async Task Plan_RepositoryPipeline_PrintsLevelAndWhatBlocksTheNext(string name, int level, string levelName, string? nextBlocker)
    {
        var result = await CliRun.RunAsync("plan", Pipeline(name), "--data-root", RepositoryPaths.Root);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(result.StdoutLines, Does.Contain($"maturity level {level}: {levelName}"));
            Assert.That(result.StdoutLines.Count(l => l.StartsWith("  ✗ level ", StringComparison.Ordinal)), Is.EqualTo(4 - level));
            Assert.That(result.StdoutLines.Count(l => l.StartsWith("  ✓ level ", StringComparison.Ordinal)), level == 0 ? Is.Zero : Is.GreaterThan(0));
            if (nextBlocker is not null)
            {
                Assert.That(result.StdoutLines, Does.Contain($"  ✗ {nextBlocker}"));
            }
        }
    }

    [Test]
    public async Task Plan_Json_HasTheSpecShape()
    {
        var result = await CliRun.RunAsync("plan", Pipeline("bike-rentals"), "--json", "--data-root", RepositoryPaths.Root);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("pipeline").GetString(), Is.EqualTo("bike-rentals"));
            Assert.That(root.GetProperty("version").GetString(), Has.Length.EqualTo(64));
            Assert.That(root.GetProperty("level").GetInt32(), Is.EqualTo(4));
            Assert.That(root.GetProperty("levelReasons").GetArrayLength(), Is.Zero);
            Assert.That(root.GetProperty("order").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "prep", "train", "train-trees", "evaluate", "deploy", "monitor", "retrain" }));
            var train = root.GetProperty("steps").EnumerateArray().First(s => s.GetProperty("id").GetString() == "train");
            Assert.That(train.GetProperty("needs").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "prep" }));
            Assert.That(train.GetProperty("automated").GetBoolean(), Is.True);
            var nightly = root.GetProperty("triggers").EnumerateArray().First(t => t.GetProperty("id").GetString() == "nightly");
            Assert.That(nightly.GetProperty("cron").GetString(), Is.EqualTo("0 0 2 * * ?"));
            Assert.That(nightly.GetProperty("next").GetArrayLength(), Is.EqualTo(3));
            var drift = root.GetProperty("triggers").EnumerateArray().First(t => t.GetProperty("id").GetString() == "on-drift");
            Assert.That(drift.GetProperty("next").GetArrayLength(), Is.Zero);
        }
    }

    [Test]
    public async Task Plan_NextFireTimes_AreInThePipelinesTimezone()
    {
        var result = await CliRun.RunAsync("plan", Pipeline("churn-nightly"), "--data-root", RepositoryPaths.Root);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain("triggers (times in Europe/Amsterdam):"));
        Assert.That(result.StdoutLines.Single(l => l.TrimStart().StartsWith("next:", StringComparison.Ordinal)), Does.Match(@"next: \d{4}-\d\d-\d\d 03:00:00 \+0[12]:00"));
    }

    [Test]
    public async Task Plan_InvalidFile_ExitsTwoWithTheErrorsOnStderr()
    {
        var result = await CliRun.RunAsync("plan", RepositoryPaths.Combine("tests", "MlOpsOrchestrator.Cli.Tests", "Pipelines", "invalid", "cycle-two-steps.yaml"), "--data-root", RepositoryPaths.Combine("tests", "MlOpsOrchestrator.Cli.Tests", "Pipelines", "invalid"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.Stderr, Does.Contain("forms a cycle"));
        }
    }

    [Test]
    public async Task Validate_RepositoryPipelinesAndSamples_AreAllValid()
    {
        var result = await CliRun.RunAsync("validate", RepositoryPaths.Combine("pipelines"), RepositoryPaths.Combine("samples"), "--data-root", RepositoryPaths.Root);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
    }
}
