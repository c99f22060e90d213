using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>Trainers and their options, typed against the catalog; cron triggers, checked through the evaluator.</summary>
public sealed partial class PipelineLoaderTests
{
    [Test]
    public void LoadFile_WarmStartWithATreeTrainer_ErrorNamesTheTrainersThatCan()
    {
        // The spec's complete example itself asks for warm_start on fast_tree.
        var yaml = SampleYaml.Complete.Replace("strategy: window", "strategy: warm_start", StringComparison.Ordinal);

        var result = _workspace.Load(yaml);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "pipeline.yaml:60:17: error: steps[1].incremental.strategy: trainer fast_tree cannot continue from an existing model, so 'warm_start' is not possible; use 'strategy: window' or a linear trainer (online_gradient_descent)",
        }));
    }

    [TestCase("binary", "number_of_trees: 200", null)]
    [TestCase("binary", "number_of_trees: 2.5", "option 'number_of_trees' takes a whole number, got '2.5'")]
    [TestCase("binary", "number_of_trees: \"200\"", "option 'number_of_trees' takes a whole number, got '200'")]
    [TestCase("binary", "learning_rate: 0.25", null)]
    [TestCase("binary", "learning_rate: 1", null)]
    [TestCase("binary", "learning_rate: fast", "option 'learning_rate' takes a number, got 'fast'")]
    [TestCase("binary", "unbalanced_sets: true", null)]
    [TestCase("binary", "unbalanced_sets: yes", "option 'unbalanced_sets' takes true or false, got 'yes'")]
    [TestCase("binary", "unbalanced_sets: \"true\"", "option 'unbalanced_sets' takes true or false, got 'true'")]
    [TestCase("regression", "optimization_algorithm: conjugate_gradient_descent", null)]
    [TestCase("regression", "optimization_algorithm: newton", "option 'optimization_algorithm' takes one of gradient_descent, accelerated_gradient_descent, conjugate_gradient_descent, got 'newton'")]
    [TestCase("regression", "example_weight_column_name: age", null)]
    [TestCase("regression", "example_weight_column_name: 5", "option 'example_weight_column_name' takes text, got '5'")]
    [TestCase("binary", "number_of_tree: 5", "unknown option 'number_of_tree' for trainer fast_tree; did you mean 'number_of_trees'? valid options: learning_rate, number_of_trees, unbalanced_sets")]
    [TestCase("binary", "depth: 5", "unknown option 'depth' for trainer fast_tree; valid options: learning_rate, number_of_trees, unbalanced_sets")]
    [TestCase("binary", "number_of_trees: [1, 2]", "option 'number_of_trees' needs a single value, got a list")]
    public void LoadFile_TrainerOption_CheckedAgainstTheCatalogType(string task, string option, string? expected)
    {
        var yaml = SampleYaml.Minimal
            .Replace("task: binary", $"task: {task}", StringComparison.Ordinal)
            .Replace("    trainer: fast_tree", $"    trainer: fast_tree\n    options: {{ {option} }}", StringComparison.Ordinal);

        var errors = _workspace.Load(yaml).Errors;

        Assert.That(errors.Select(e => e.Message), expected is null ? Is.Empty : Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void LoadFile_TrainerOptions_KeepTheirYamlTypes()
    {
        var yaml = SampleYaml.Minimal
            .Replace("task: binary", "task: regression", StringComparison.Ordinal)
            .Replace("    trainer: fast_tree", "    trainer: fast_tree\n    options: { number_of_trees: 200, learning_rate: 0.1, enable_pruning: false, optimization_algorithm: gradient_descent }", StringComparison.Ordinal);

        var options = ((TrainStep)_workspace.Load(yaml).Definition!.Spec.Step("train")!).Options;

        Assert.Multiple(() =>
        {
            Assert.That(options["number_of_trees"], Is.TypeOf<long>().And.EqualTo(200));
            Assert.That(options["learning_rate"], Is.TypeOf<double>().And.EqualTo(0.1));
            Assert.That(options["enable_pruning"], Is.TypeOf<bool>().And.EqualTo(false));
            Assert.That(options["optimization_algorithm"], Is.EqualTo("gradient_descent"));
        });
    }

    [Test]
    public void LoadFile_UnknownTrainerForTheTask_ListsOrSuggestsTheTasksTrainers()
    {
        var yaml = SampleYaml.Minimal.Replace("task: binary", "task: multiclass", StringComparison.Ordinal);

        var errors = _workspace.Load(yaml).Errors;

        Assert.That(errors.Select(e => e.Message), Is.EqualTo(new[] { "unknown trainer 'fast_tree' for task multiclass; valid: lbfgs_maximum_entropy, light_gbm" }));
    }

    [Test]
    public void LoadFile_CronThatNeverFiresAgain_Error()
    {
        var yaml = SampleYaml.Minimal + """
            triggers:
              - id: once
                cron: "0 0 0 1 1 ? 1999"
            """;

        var errors = _workspace.Load(yaml).Errors;

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { "pipeline.yaml:16:11: error: triggers[0].cron: cron '0 0 0 1 1 ? 1999' never fires again; check the year field" }));
    }
}
