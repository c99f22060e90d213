using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Catalogs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Planning;

[TestFixture]
public sealed class PlanBuilderTests
{
    private static readonly DateTimeOffset Now = new(2029, 12, 31, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Build_FullPipeline_OrderStepsAndLevel()
    {
        var plan = PlanBuilder.Build(Definition(PipelineBuilder.Full()), new FakeCronEvaluator(), Now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Pipeline, Is.EqualTo("churn"));
            Assert.That(plan.Version, Is.EqualTo("v-test"));
            Assert.That(plan.Order, Is.EqualTo(new[] { "prep", "train", "evaluate", "deploy", "monitor", "retrain" }));
            Assert.That(plan.Steps.Select(s => (s.Id, s.Kind)), Is.EqualTo(new[]
            {
                ("prep", "data_prep"), ("train", "train"), ("evaluate", "evaluate"), ("deploy", "deploy"), ("monitor", "monitor"), ("retrain", "retrain"),
            }));
            Assert.That(plan.Steps[1].Needs, Is.EqualTo(new[] { "prep" }));
            Assert.That(plan.Level, Is.EqualTo(4));
            Assert.That(plan.LevelName, Is.EqualTo("Automated retraining"));
            Assert.That(plan.LevelReasons, Is.Empty);
            Assert.That(plan.LevelHeld, Is.Not.Empty);
        });
    }

    [Test]
    public void Build_ManualDeploy_StepMarkedManualAndLevelReasonsSayWhy()
    {
        var plan = PlanBuilder.Build(Definition(PipelineBuilder.Full().Manual("deploy")), new FakeCronEvaluator(), Now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Steps.Single(s => s.Id == "deploy").Automated, Is.False);
            Assert.That(plan.Level, Is.EqualTo(2));
            Assert.That(plan.LevelReasons[0], Does.StartWith("level 3: deploy 'deploy' is manual (automated: false)"));
        });
    }

    [Test]
    public void Build_Diamond_ParallelGroups()
    {
        var pipeline = new PipelineBuilder()
            .DataPrep()
            .Train("train_a", needs: ["prep"])
            .Train("train_b", needs: ["prep"], trainer: "lbfgs_logistic_regression")
            .Evaluate(needs: ["train_a", "train_b"]);

        var plan = PlanBuilder.Build(Definition(pipeline), new FakeCronEvaluator(), Now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.ParallelGroups, Is.EqualTo(new[] { new[] { "prep" }, new[] { "train_a", "train_b" }, new[] { "evaluate" } }));
            Assert.That(plan.Order, Is.EqualTo(new[] { "prep", "train_a", "train_b", "evaluate" }));
        });
    }

    [Test]
    public void Build_CronTrigger_NextFireTimesFromTheEvaluatorInUtc()
    {
        var cron = new FakeCronEvaluator();
        var pipeline = PipelineBuilder.Full().Timezone("Europe/Paris").Cron("watch", "0 0/15 * * * ?", steps: ["monitor", "retrain"], mode: RunMode.Incremental);

        var plan = PlanBuilder.Build(Definition(pipeline), cron, Now, fireTimes: 2);
        var nightly = plan.Triggers.Single(t => t.Id == "nightly");
        var watch = plan.Triggers.Single(t => t.Id == "watch");

        Assert.Multiple(() =>
        {
            Assert.That(plan.Timezone, Is.EqualTo("Europe/Paris"));
            Assert.That(nightly.Cron, Is.EqualTo("0 0 2 * * ?"));
            Assert.That(nightly.On, Is.Null);
            Assert.That(nightly.Mode, Is.EqualTo("full"));
            Assert.That(nightly.Steps, Is.Null);
            Assert.That(nightly.Next, Is.EqualTo(new[] { FakeCronEvaluator.FirstFire, FakeCronEvaluator.FirstFire.AddDays(1) }));
            Assert.That(nightly.Next.Select(t => t.Offset), Is.All.EqualTo(TimeSpan.Zero));
            Assert.That(watch.Mode, Is.EqualTo("incremental"));
            Assert.That(watch.Steps, Is.EqualTo(new[] { "monitor", "retrain" }));
            Assert.That(watch.Next, Has.Count.EqualTo(2));
            Assert.That(cron.Calls, Is.EqualTo(new[]
            {
                ("0 0 2 * * ?", "Europe/Paris", Now, 2),
                ("0 0/15 * * * ?", "Europe/Paris", Now, 2),
            }));
        });
    }

    [Test]
    public void Build_EventTrigger_NoFireTimes()
    {
        var cron = new FakeCronEvaluator();

        var plan = PlanBuilder.Build(Definition(PipelineBuilder.Full()), cron, Now);
        var drift = plan.Triggers.Single(t => t.Id == "on-drift");

        Assert.Multiple(() =>
        {
            Assert.That(drift.On, Is.EqualTo("drift"));
            Assert.That(drift.Cron, Is.Null);
            Assert.That(drift.Mode, Is.EqualTo("incremental"));
            Assert.That(drift.Next, Is.Empty);
            Assert.That(cron.Calls.Select(c => c.Expression), Is.EqualTo(new[] { "0 0 2 * * ?" }));
        });
    }

    [TestCase(StepKind.DataPrep, "data_prep")]
    [TestCase(StepKind.Train, "train")]
    [TestCase(StepKind.Evaluate, "evaluate")]
    [TestCase(StepKind.Deploy, "deploy")]
    [TestCase(StepKind.Monitor, "monitor")]
    [TestCase(StepKind.Retrain, "retrain")]
    public void KindName_Kind_IsTheYamlWord(StepKind kind, string word)
    {
        Assert.That(PlanBuilder.KindName(kind), Is.EqualTo(word));
    }

    private static PipelineDefinition Definition(PipelineBuilder pipeline)
    {
        var spec = pipeline.Build();
        return new PipelineDefinition
        {
            Spec = spec,
            SourceFile = "/pipelines/churn.yaml",
            Version = "v-test",
            Maturity = MaturityClassifier.Classify(spec),
        };
    }
}
