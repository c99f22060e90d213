using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>
/// The loader end to end over YAML text, with the fake catalog and cron evaluator: what a user running
/// <c>mlops validate</c> sees. Environment and version behaviour live in the other parts of this class.
/// </summary>
[TestFixture]
public sealed partial class PipelineLoaderTests
{
    private LoaderWorkspace _workspace = null!;

    [SetUp]
    public void SetUp() => _workspace = new LoaderWorkspace();

    [TearDown]
    public void TearDown() => _workspace.Dispose();

    [Test]
    public void LoadFile_CompleteExample_NoErrorsAndLevel4()
    {
        var result = _workspace.Load(SampleYaml.Complete);

        Assert.Multiple(() =>
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Succeeded, Is.True);
            Assert.That(result.Definition!.Name, Is.EqualTo("bike-demand"));
            Assert.That(result.Definition.Maturity.Level, Is.EqualTo(4));
            Assert.That(result.Definition.Maturity.Blockers, Is.Empty);
            Assert.That(result.Definition.Version, Does.Match("^[0-9a-f]{64}$"));
            Assert.That(result.Definition.SourceFile, Is.EqualTo(Path.Combine(_workspace.Root, "pipeline.yaml")));
        });
    }

    [Test]
    public void LoadFile_CompleteExample_ReadsEverySection()
    {
        var spec = _workspace.Load(SampleYaml.Complete).Definition!.Spec;
        var train = (TrainStep)spec.Step("train")!;
        var evaluate = (EvaluateStep)spec.Step("evaluate")!;
        var monitor = (MonitorStep)spec.Step("monitor")!;
        var prep = (DataPrepStep)spec.Step("prep")!;

        Assert.Multiple(() =>
        {
            Assert.That(spec.Data.Source.Path, Is.EqualTo(Path.Combine(_workspace.Root, "data", "bike-hourly.csv")));
            Assert.That(spec.Data.TestSource!.Path, Is.EqualTo(Path.Combine(_workspace.Root, "data", "bike-hourly-test.csv")));
            Assert.That(spec.Data.KnownColumns, Is.EqualTo(new[] { "ts", "season", "temp", "humidity", "count", "comment", "id" }));
            Assert.That(spec.Data.Schema.Select(c => c.Name), Is.EqualTo(new[] { "ts", "season", "temp", "humidity", "count", "comment", "id" }));
            Assert.That(spec.Data.Column("temp"), Has.Property("Min").EqualTo(-30).And.Property("Max").EqualTo(50));
            Assert.That(spec.Data.Column("humidity")!.Missing, Is.EqualTo(MissingPolicy.Mean));
            Assert.That(spec.Data.Column("count")!.Min, Is.Zero);
            Assert.That(spec.Triggers.Select(t => t.Id), Is.EqualTo(new[] { "nightly", "every-5-min", "watch", "on-drift" }));
            Assert.That(spec.Trigger("watch")!.Steps, Is.EqualTo(new[] { "monitor", "retrain" }));
            Assert.That(spec.Trigger("on-drift")!.IsDrift, Is.True);
            Assert.That(prep.Checks, Is.EqualTo(new DataChecks { MinRows = 500, MaxMissingFraction = 0.05, MaxDuplicateFraction = 0.01 }));
            Assert.That(prep.Split.By, Is.EqualTo(SplitBy.Time));
            Assert.That(train.Features, Is.EqualTo(new[] { "season", "temp", "humidity" }));
            Assert.That(train.Options, Is.EquivalentTo(new Dictionary<string, object> { ["number_of_trees"] = 200L, ["learning_rate"] = 0.1 }));
            Assert.That(train.Incremental, Is.EqualTo(new IncrementalSpec(IncrementalStrategy.Window, TimeSpan.FromDays(7))));
            Assert.That(evaluate.Gates.Select(g => (g.Metric, g.Kind, g.Value)), Is.EqualTo(new[] { ("r_squared", GateKind.Min, 0.7), ("rmse", GateKind.MaxIncrease, 0.05) }));
            Assert.That(monitor.Window, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(monitor.Performance, Is.EqualTo(new PerformanceCheck("rmse", 0.2)));
            Assert.That(((RetrainStep)spec.Step("retrain")!).Trigger, Is.EqualTo("on-drift"));
        });
    }

    [Test]
    public void LoadFile_SpecExampleWithManualDeploy_Level2AndTheBlockerSaysWhy()
    {
        var yaml = SampleYaml.Complete.Replace("    alias: production", "    automated: false\n    alias: production", StringComparison.Ordinal);

        var maturity = _workspace.Load(yaml).Definition!.Maturity;

        Assert.Multiple(() =>
        {
            Assert.That(maturity.Level, Is.EqualTo(2));
            Assert.That(maturity.Blockers[0], Does.StartWith("level 3: deploy 'deploy' is manual (automated: false)"));
        });
    }

    [Test]
    public void LoadFile_NeedsAsASingleName_ListOfOne()
    {
        var result = _workspace.Load(SampleYaml.Minimal.Replace("needs: [prep]", "needs: prep", StringComparison.Ordinal));

        Assert.That(result.Definition!.Spec.Step("train")!.Needs, Is.EqualTo(new[] { "prep" }));
    }

    [Test]
    public void LoadFile_MinimalPipeline_Defaults()
    {
        var yaml = SampleYaml.Minimal + """
            triggers:
              - id: nightly
                cron: "0 0 2 * * ?"
            """;

        var spec = _workspace.Load(yaml).Definition!.Spec;
        var prep = (DataPrepStep)spec.Step("prep")!;
        var train = (TrainStep)spec.Step("train")!;

        Assert.Multiple(() =>
        {
            Assert.That(spec.Timezone, Is.EqualTo("UTC"));
            Assert.That(spec.Concurrency, Is.EqualTo(ConcurrencyPolicy.Skip));
            Assert.That(spec.Triggers[0].Misfire, Is.EqualTo(MisfirePolicy.FireOnce));
            Assert.That(spec.Triggers[0].Mode, Is.EqualTo(RunMode.Full));
            Assert.That(spec.Triggers[0].Steps, Is.Null);
            Assert.That(prep.Split, Is.EqualTo(new SplitSpec { By = SplitBy.Random, TestFraction = 0.2, Seed = 42 }));
            Assert.That(spec.Data.Source.Separator, Is.EqualTo(','));
            Assert.That(spec.Data.Source.Header, Is.True);
            Assert.That(spec.Data.Timestamp, Is.Null);
            Assert.That(spec.Steps.Select(s => s.Automated), Is.All.True);
            Assert.That(train.Features, Is.Null);
            Assert.That(train.Seed, Is.EqualTo(42));
        });
    }

    [Test]
    public void LoadFile_DeployWithoutModel_ModelIsThePipelineNameAndAliasProduction()
    {
        var yaml = SampleYaml.Minimal + """
              - id: evaluate
                kind: evaluate
                needs: [train]
                gates: { auc: { min: 0.7 } }
              - id: deploy
                kind: deploy
                needs: [evaluate]
            """;

        var deploy = (DeployStep)_workspace.Load(yaml).Definition!.Spec.Step("deploy")!;

        Assert.Multiple(() =>
        {
            Assert.That(deploy.Model, Is.EqualTo("churn"));
            Assert.That(deploy.Alias, Is.EqualTo("production"));
        });
    }

    [Test]
    public void LoadAll_SameNameInTwoFiles_SecondFileGetsTheErrorOnItsName()
    {
        var yaml = SampleYaml.Minimal.Replace("path: data/churn.csv", "path: ../data/churn.csv", StringComparison.Ordinal);
        var first = _workspace.Write("pipelines/a-churn.yaml", yaml);
        var second = _workspace.Write("pipelines/b-churn.yaml", yaml);
        _workspace.Write("pipelines/c-other.yml", yaml.Replace("name: churn", "name: other", StringComparison.Ordinal));
        _workspace.Write("pipelines/README.md", "not a pipeline");

        var results = _workspace.Loader.LoadAll([Path.Combine(_workspace.Root, "pipelines")]);

        Assert.That(results.Select(r => r.File), Is.EqualTo(new[] { first, second, Path.Combine(_workspace.Root, "pipelines", "c-other.yml") }));
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Succeeded, Is.True);
            Assert.That(results[1].Succeeded, Is.False);
            Assert.That(results[1].Errors.Select(e => e.ToString()), Is.EqualTo(new[]
            {
                $"{second}:2:7: error: name: pipeline name 'churn' is already used by {first}; names must be unique among loaded pipelines",
            }));
            Assert.That(results[2].Succeeded, Is.True);
        });
    }
}
