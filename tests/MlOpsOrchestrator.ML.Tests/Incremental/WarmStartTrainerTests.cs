using System.Globalization;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>Warm start with every trainer that supports it, each on a generator of its task.</summary>
[TestFixture]
public sealed class WarmStartTrainerTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private IncrementalHarness _harness = null!;

    [SetUp]
    public async Task SetUp() => _harness = await IncrementalHarness.OpenAsync();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    [TestCase("lbfgs_logistic_regression", "auc")]
    [TestCase("averaged_perceptron", "auc")]
    [TestCase("online_gradient_descent", "rmse")]
    [TestCase("lbfgs_poisson", "rmse")]
    [TestCase("lbfgs_maximum_entropy", "micro_accuracy")]
    public async Task Incremental_WarmStartableTrainer_ContinuesProductionAndDeploys(string trainer, string metric)
    {
        var (yaml, model, file, generator) = trainer switch
        {
            "lbfgs_logistic_regression" or "averaged_perceptron" => (Pipelines.Churn(trainer), "churn", Pipelines.ChurnFile, (ISampleGenerator)new CustomerChurnGenerator()),
            "lbfgs_maximum_entropy" => (Pipelines.Tickets(trainer), "tickets", Pipelines.TicketsFile, new TicketRoutingGenerator()),
            _ => (Pipelines.Bikes(Pipelines.BikeTrain("train", trainer, "{ strategy: warm_start }"), "train"), "bikes", Pipelines.BikesFile, new BikeRentalsGenerator()),
        };
        _harness.Write(file, generator, new SampleSettings { Rows = 1500, Seed = 11, Start = Start });
        var full = await _harness.RunAsync(yaml, RunMode.Full);
        Assert.That(full.Run.Status, Is.EqualTo(RunStatus.Succeeded), full.Describe());
        var production = (await _harness.ProductionAsync(model))!;
        _harness.Append(file, generator, new SampleSettings { Rows = 500, Seed = 12, Start = Start.AddHours(1500) });

        var run = await _harness.RunAsync(yaml, RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        var train = run["train"];
        var rows = _harness.Dataset(run["prep"], ArtifactNames.Test);
        var before = IncrementalHarness.Features(_harness.LoadModel(production), rows);
        var after = IncrementalHarness.Features(_harness.LoadModel(train), rows);
        Assert.Multiple(() =>
        {
            Assert.That(MlNetTrainerCatalog.Default.Find(TaskOf(trainer), trainer)!.SupportsWarmStart, Is.True);
            Assert.That(train.Train().Strategy, Is.EqualTo(TrainingStrategy.WarmStart));
            Assert.That(TypedResults.Label(train.Train().WarmStartFrom), Is.EqualTo($"{model} v1"));
            Assert.That(run.Progress, Has.Some.StartsWith($"train: warm start from {model} v1 on 400 rows ({trainer}; "));
            Assert.That(train.Metrics, Contains.Key(metric));
            Assert.That(run.Run.Model, Is.EqualTo(new ModelRef(model, 2)));
            Assert.That(after, Is.EqualTo(before), "the featurization is production's");
            AssertPassesScaled(trainer, train.Note() ?? "");
        });
    }

    /// <summary>
    /// The train note names the option docs/pipeline-yaml.md gives for the trainer, its default count, and the count
    /// scaled by the slice's share of the base's training rows: ceil(configured × slice ÷ base), in [1, configured].
    /// </summary>
    private static void AssertPassesScaled(string trainer, string note)
    {
        var (option, configured) = trainer.StartsWith("lbfgs_", StringComparison.Ordinal) ? ("maximum_number_of_iterations", 100) : ("number_of_iterations", 1);
        var scaled = Regex.Match(note, $@"\({option} (\d+) of {configured}(, learning_rate [^,]+)?, scaled to the slice \(([\d,]+) rows against the ([\d,]+) rows ");
        Assert.That(scaled.Success, Is.True, $"{trainer}: the note says how {option} was scaled: {note}");
        if (scaled.Success)
        {
            var slice = double.Parse(scaled.Groups[3].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            var rows = double.Parse(scaled.Groups[4].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            Assert.That(int.Parse(scaled.Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(Math.Clamp((int)Math.Ceiling(configured * slice / rows), 1, configured)), note);
            Assert.That(slice, Is.LessThan(rows), "a slice smaller than the data production was trained on");
        }
    }

    [Test]
    public async Task Incremental_MulticlassSliceSeesClassesInAnotherOrder_KeepsProductionsClassOrder()
    {
        var tickets = new TicketRoutingGenerator();
        _harness.Write(Pipelines.TicketsFile, tickets, new SampleSettings { Rows = 1500, Seed = 11, Start = Start });
        var full = await _harness.RunAsync(Pipelines.Tickets("lbfgs_maximum_entropy"), RunMode.Full);
        Assert.That(full.Run.Status, Is.EqualTo(RunStatus.Succeeded), full.Describe());
        var classes = _harness.Schema(full["train"]).Classes!;

        // The new rows start with production's last class, so in the slice alone it comes first.
        _harness.Append(Pipelines.TicketsFile, tickets, new SampleSettings { Rows = 500, Seed = 12, Start = Start.AddHours(1500) },
            first: line => line.EndsWith("," + classes[^1], StringComparison.Ordinal));
        var run = await _harness.RunAsync(Pipelines.Tickets("lbfgs_maximum_entropy"), RunMode.Incremental);

        Assert.That(run.Run.Status, Is.EqualTo(RunStatus.Succeeded), run.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(_harness.Schema(run["prep"]).Classes![0], Is.EqualTo(classes[^1]), "the slice alone orders the classes otherwise");
            Assert.That(run["train"].Train().Strategy, Is.EqualTo(TrainingStrategy.WarmStart));
            Assert.That(_harness.Schema(run["train"]).Classes, Is.EqualTo(classes), "the continued model keeps production's class keys");
            Assert.That(run["train"].Metrics["micro_accuracy"], Is.GreaterThan(0.6), "classes are predicted as themselves, not as a permutation");
        });
    }

    private static MlTask TaskOf(string trainer) => trainer switch
    {
        "lbfgs_logistic_regression" or "averaged_perceptron" => MlTask.Binary,
        "lbfgs_maximum_entropy" => MlTask.Multiclass,
        _ => MlTask.Regression,
    };
}
