using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Planning;

/// <summary>
/// Every boundary of the five maturity levels (spec "Maturity level"). Each row names a pipeline shape (built in
/// <see cref="Shape"/>), the level it must get, and the start of the blocker line for every level above it.
/// </summary>
[TestFixture]
public sealed class MaturityClassifierTests
{
    [TestCase("no data_prep", 0, "level 1: no data_prep step", "level 2: needs level 1 first", "level 3: needs level 1 first", "level 4: needs level 1 first")]
    [TestCase("manual data_prep", 0, "level 1: data_prep 'prep' is manual (automated: false)", "level 2: needs level 1 first", "level 3: needs level 1 first", "level 4: needs level 1 first")]
    [TestCase("automated data_prep only", 1, "level 2: no train step", "level 3: no evaluate step", "level 4: no monitor step")]
    [TestCase("manual train", 1, "level 2: train 'train' is manual (automated: false)", "level 3: needs level 2 first", "level 4: needs level 2 first")]
    [TestCase("one of two train steps manual", 1, "level 2: train 'train_b' is manual (automated: false)", "level 3: needs level 2 first", "level 4: needs level 2 first")]
    [TestCase("automated train, no cron trigger", 1, "level 2: no cron trigger", "level 3: no evaluate step", "level 4: no monitor step")]
    [TestCase("automated train with cron", 2, "level 3: no evaluate step", "level 4: no monitor step")]
    [TestCase("evaluate without gates", 2, "level 3: evaluate 'evaluate' has no gates", "level 4: no monitor step")]
    [TestCase("manual gated evaluate", 2, "level 3: evaluate 'evaluate' is manual (automated: false)", "level 4: no monitor step")]
    [TestCase("gated evaluate, no deploy", 2, "level 3: no deploy step", "level 4: no monitor step")]
    [TestCase("manual deploy", 2, "level 3: deploy 'deploy' is manual (automated: false)", "level 4: no monitor step")]
    [TestCase("deploy not after the gated evaluate", 2, "level 3: deploy 'deploy' does not need a gated evaluate step", "level 4: no monitor step")]
    [TestCase("deploy after an ungated evaluate only", 2, "level 3: deploy 'deploy' does not need a gated evaluate step", "level 4: no monitor step")]
    [TestCase("automated deploy after gated evaluate", 3, "level 4: no monitor step")]
    [TestCase("manual staging and automated production deploy", 3, "level 4: no monitor step")]
    [TestCase("full without monitor", 3, "level 4: no monitor step")]
    [TestCase("manual monitor", 3, "level 4: monitor 'monitor' is manual (automated: false)")]
    [TestCase("full without retrain", 3, "level 4: no retrain step")]
    [TestCase("manual retrain", 3, "level 4: retrain 'retrain' is manual (automated: false)")]
    [TestCase("full without on: drift trigger", 3, "level 4: no 'on: drift' trigger")]
    [TestCase("retrain fires a cron trigger", 3, "level 4: no automated retrain step fires the 'on: drift' trigger 'on-drift'")]
    [TestCase("full", 4)]
    [TestCase("full without cron", 1, "level 2: no cron trigger", "level 3: needs level 2 first", "level 4: needs level 2 first")]
    public void Classify_Shape_GivesLevelAndFirstFailingRuleOfEveryHigherLevel(string shape, int level, params string[] blockers)
    {
        var assessment = MaturityClassifier.Classify(Shape(shape));

        Assert.Multiple(() =>
        {
            Assert.That(assessment.Level, Is.EqualTo(level));
            Assert.That(Prefixes(assessment.Blockers, blockers), Is.EqualTo(blockers));
        });
    }

    [Test]
    public void Classify_ManualDeploy_BlockerNamesTheStepAndTheFix()
    {
        var assessment = MaturityClassifier.Classify(PipelineBuilder.Full().Manual("deploy").Build());

        Assert.That(assessment.Blockers, Is.EqualTo(new[]
        {
            "level 3: deploy 'deploy' is manual (automated: false); remove 'automated: false' to automate it",
            "level 4: needs level 3 first",
        }));
    }

    [Test]
    public void Classify_Full_ListsWhatHoldsAtEveryLevel()
    {
        var assessment = MaturityClassifier.Classify(PipelineBuilder.Full().Build());

        Assert.Multiple(() =>
        {
            Assert.That(assessment.Name, Is.EqualTo("Automated retraining"));
            Assert.That(assessment.Blockers, Is.Empty);
            Assert.That(assessment.Held, Is.EqualTo(new[]
            {
                "level 1: data_prep 'prep' automated",
                "level 2: train 'train' automated",
                "level 2: cron trigger 'nightly'",
                "level 3: evaluate 'evaluate' gates on auc; deploy 'deploy' automated",
                "level 4: monitor 'monitor' automated",
                "level 4: retrain 'retrain' automated",
                "level 4: retrain 'retrain' fires 'on: drift' trigger 'on-drift'",
            }));
        });
    }

    [TestCase(0, "No MLOps")]
    [TestCase(1, "DevOps, no MLOps")]
    [TestCase(2, "Automated training")]
    [TestCase(3, "Automated deployment")]
    [TestCase(4, "Automated retraining")]
    public void Name_Level_IsTheMaturityModelName(int level, string name)
    {
        var assessment = new MaturityAssessment(level, [], []);

        Assert.That(assessment.Name, Is.EqualTo(name));
    }

    private static PipelineSpec Shape(string shape) => (shape switch
    {
        "no data_prep" => PipelineBuilder.Full().Without("prep"),
        "manual data_prep" => PipelineBuilder.Full().Manual("prep"),
        "automated data_prep only" => new PipelineBuilder().DataPrep(),
        "manual train" => PipelineBuilder.Full().Manual("train"),
        "one of two train steps manual" => PipelineBuilder.Full().Train("train_b", needs: ["prep"]).Manual("train_b").Needs("evaluate", "train", "train_b"),
        "automated train, no cron trigger" => new PipelineBuilder().DataPrep().Train(needs: ["prep"]),
        "automated train with cron" => TrainedOnCron(),
        "evaluate without gates" => TrainedOnCron().Evaluate(needs: ["train"], gated: false).Deploy(needs: ["evaluate"]),
        "manual gated evaluate" => TrainedOnCron().Evaluate(needs: ["train"]).Deploy(needs: ["evaluate"]).Manual("evaluate"),
        "gated evaluate, no deploy" => TrainedOnCron().Evaluate(needs: ["train"]),
        "manual deploy" => TrainedOnCron().Evaluate(needs: ["train"]).Deploy(needs: ["evaluate"]).Manual("deploy"),
        "deploy not after the gated evaluate" => TrainedOnCron().Evaluate(needs: ["train"]).Deploy(needs: ["train"]),
        "deploy after an ungated evaluate only" => TrainedOnCron().Evaluate(needs: ["train"]).Evaluate("compare", needs: ["train"], gated: false).Deploy(needs: ["compare"]),
        "automated deploy after gated evaluate" => TrainedOnCron().Evaluate(needs: ["train"]).Deploy(needs: ["evaluate"]),
        "manual staging and automated production deploy" => TrainedOnCron().Evaluate(needs: ["train"]).Deploy("staging", needs: ["evaluate"]).Manual("staging").Deploy("production", needs: ["evaluate"]),
        "full without monitor" => PipelineBuilder.Full().Without("monitor"),
        "manual monitor" => PipelineBuilder.Full().Manual("monitor"),
        "full without retrain" => PipelineBuilder.Full().Without("retrain"),
        "manual retrain" => PipelineBuilder.Full().Manual("retrain"),
        "full without on: drift trigger" => PipelineBuilder.Full().Without("on-drift"),
        // The validator refuses this ('retrain' must fire an on: drift trigger); the classifier must not rely on it.
        "retrain fires a cron trigger" => PipelineBuilder.Full().Fires("retrain", "nightly"),
        "full" => PipelineBuilder.Full(),
        "full without cron" => PipelineBuilder.Full().Without("nightly"),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "no such shape"),
    }).Build();

    private static PipelineBuilder TrainedOnCron() => new PipelineBuilder().DataPrep().Train(needs: ["prep"]).Cron();

    /// <summary>Each actual blocker cut to the length of the expected one, so the table can omit the advice after it.</summary>
    private static IEnumerable<string> Prefixes(IReadOnlyList<string> actual, string[] expected) =>
        actual.Select((line, i) => i < expected.Length && line.StartsWith(expected[i], StringComparison.Ordinal) ? expected[i] : line);
}
