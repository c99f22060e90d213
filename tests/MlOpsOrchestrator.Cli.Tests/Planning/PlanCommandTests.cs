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
    public async Task Plan_Folder_PlansEveryPipelineInIt()
    {
        var result = await CliRun.RunAsync("plan", RepositoryPaths.Combine("pipelines"), "--data-root", RepositoryPaths.Root);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var planned = result.StdoutLines.Where(l => l.StartsWith("pipeline ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]);
        Assert.That(planned, Is.EquivalentTo(new[] { "bike-rentals", "churn-exploration", "churn-nightly", "ticket-routing-manual", "ticket-routing" }));
    }

    [Test]
    public async Task Plan_Folder_Json_IsAnArrayOfTheSpecShape()
    {
        var result = await CliRun.RunAsync("plan", RepositoryPaths.Combine("pipelines"), "--json", "--data-root", RepositoryPaths.Root);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var plans = json.RootElement.EnumerateArray().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(plans.Select(p => p.GetProperty("pipeline").GetString()).ToList(), Has.Member("bike-rentals").And.Count.EqualTo(5));
            Assert.That(plans.Single(p => p.GetProperty("pipeline").GetString() == "bike-rentals").GetProperty("level").GetInt32(), Is.EqualTo(4));
            Assert.That(plans.Select(p => p.GetProperty("order").GetArrayLength()), Has.All.GreaterThan(0));
        }
    }

    [Test]
    public async Task Plan_FolderWithAnInvalidFile_PlansTheValidOnes_ErrorsOnStderr_ExitsTwo()
    {
        using var folder = new TempFolder();
        folder.Write("churn-export.yaml", Runs.ChurnExport.Pipeline);
        folder.Write("exports/customers.csv", Runs.ChurnExport.Good());
        folder.Write("broken.yaml", "version: 1\nname: broken\nsteps: []\n");

        var result = await CliRun.RunAsync("plan", folder.Path, "--json", "--data-root", folder.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain("broken.yaml:").And.Contain("1 of 2 file(s), not planned"));
            using var json = JsonDocument.Parse(result.Stdout);
            Assert.That(json.RootElement.EnumerateArray().Select(p => p.GetProperty("pipeline").GetString()), Is.EqualTo(new[] { "churn-export" }));
        }
    }

    [Test]
    public async Task Plan_FolderWithoutPipelines_ExitsTwo()
    {
        using var folder = new TempFolder();

        var result = await CliRun.RunAsync("plan", folder.Path);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("no pipeline files (*.yaml, *.yml) found"));
    }

    [Test]
    public async Task Validate_RepositoryPipelinesAndSamples_AreAllValid()
    {
        var result = await CliRun.RunAsync("validate", RepositoryPaths.Combine("pipelines"), RepositoryPaths.Combine("samples"), "--data-root", RepositoryPaths.Root);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
    }
}
