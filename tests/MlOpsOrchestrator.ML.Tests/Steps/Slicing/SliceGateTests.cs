using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps.Slicing;

/// <summary>
/// Slice gates on real models: production learnt the demand of north and west 80 too high, the candidate learnt it
/// right there but 80 too high in the south (its newest rows changed the relation in one segment). The candidate is
/// better overall and clearly worse on <c>segment=south</c>.
/// </summary>
[TestFixture]
public sealed class SliceGateTests
{
    private const double Shift = 80;
    private static readonly List<SyntheticRow> TestRows = SyntheticData.Rows(360, seed: 12, missingAmount: 0);
    private static readonly SourceMark Mark = new(1, 1);

    [Test]
    public async Task Execute_AutomatedRunCandidateBetterOverallWorseOnASlice_HeldBackNamingTheSliceAndNotDeployed()
    {
        using var harness = await CandidateAgainstProductionAsync("nightly", Shifted("south"));

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");
        var deployed = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");

        var result = outcome.Evaluate();
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Metrics["rmse"], Is.LessThan(outcome.Metrics["production_rmse"]), "the candidate wins overall");
        Assert.That(result.SliceFailures, Has.Count.EqualTo(1));
        var failure = result.SliceFailures![0];
        Assert.Multiple(() =>
        {
            Assert.That(failure.Slice, Is.EqualTo("segment=south"));
            Assert.That(failure.Candidate, Is.GreaterThan(failure.Production * 2), "clearly worse on the south");
            Assert.That(failure.Rows, Is.EqualTo(TestRows.Count(r => r.Segment == "south")));
            Assert.That(result.HeldBack, Does.StartWith($"slice gate rmse max_increase 0.15 failed on segment=south: {StepOutcomes.Number(failure.Candidate)} vs production {StepOutcomes.Number(failure.Production)} (+"));
            Assert.That(result.HeldBack, Does.Contain($" on {failure.Rows} rows (min_rows 30)"));
            Assert.That(outcome.Message, Does.Contain("not to be deployed: slice gate rmse max_increase 0.15 failed on segment=south"));
            Assert.That(deployed.Status, Is.EqualTo(StepStatus.Succeeded), deployed.Message);
            Assert.That(((DeployResult)deployed.Result!).HeldBack, Does.Contain("segment=south"));
        });
        var aliases = await harness.Registry.GetAliasesAsync("demand", CancellationToken.None);
        Assert.That(aliases["production"], Is.EqualTo(1), "production stays on version 1");
    }

    [Test]
    public async Task Execute_ManualRunCandidateWorseOnASlice_FailsNamingTheSlice()
    {
        using var harness = await CandidateAgainstProductionAsync("manual", Shifted("south"));

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Evaluate().Rejected, Is.True);
        Assert.That(outcome.Message, Does.StartWith("slice gate rmse max_increase 0.15 failed on segment=south: "));
    }

    [Test]
    public async Task Execute_SliceBelowMinRows_NotJudged()
    {
        using var harness = await CandidateAgainstProductionAsync("manual", Shifted("south"), minRows: TestRows.Count);

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Evaluate().SliceFailures, Is.Null);
    }

    [Test]
    public async Task Execute_CandidateBetterOnEverySlice_Deployed()
    {
        using var harness = await CandidateAgainstProductionAsync("nightly", Shifted());

        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");
        var deployed = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Evaluate().HeldBack, Is.Null);
        Assert.That(outcome.Evaluate().SliceFailures, Is.Null);
        Assert.That(deployed.Status, Is.EqualTo(StepStatus.Succeeded), deployed.Message);
        var aliases = await harness.Registry.GetAliasesAsync("demand", CancellationToken.None);
        Assert.That(aliases["production"], Is.EqualTo(2));
    }

    [Test]
    public async Task Execute_Evaluations_TheStoreHoldsTheNumbersOfTheStepsOnceEach()
    {
        using var harness = await CandidateAgainstProductionAsync("nightly", Shifted("south"));
        var outcome = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");
        await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");

        var stored = harness.Evaluations.All.Where(e => e.RunId == "run-2").ToList();
        var failure = outcome.Evaluate().SliceFailures![0];
        double Value(string step, string role, string slice, string metric) =>
            stored.Single(e => e.StepId == step && e.Role == role && e.SliceValue == slice && e.Metric == metric).Value;
        Assert.Multiple(() =>
        {
            Assert.That(stored.Where(e => e.StepId == "train").ToDictionary(e => e.Metric, e => e.Value), Is.EqualTo(harness.Records["train"].Metrics));
            Assert.That(Value("evaluate", ModelEvaluation.CandidateRole, "*", "rmse"), Is.EqualTo(outcome.Metrics["rmse"]));
            Assert.That(Value("evaluate", ModelEvaluation.ProductionRole, "*", "rmse"), Is.EqualTo(outcome.Metrics["production_rmse"]));
            Assert.That(Value("evaluate", ModelEvaluation.CandidateRole, "segment=south", "rmse"), Is.EqualTo(failure.Candidate));
            Assert.That(Value("evaluate", ModelEvaluation.ProductionRole, "segment=south", "rmse"), Is.EqualTo(failure.Production));
            Assert.That(stored.Where(e => e.SliceValue == "segment=south").Select(e => e.Rows).Distinct(), Is.EqualTo(new[] { failure.Rows }));
            Assert.That(stored.Where(e => e.StepId == "evaluate").Select(e => e.SliceValue).Distinct(), Is.EquivalentTo(new[] { "*", "segment=north", "segment=south", "segment=west" }));
            Assert.That(stored.Where(e => e.Role == ModelEvaluation.ProductionRole).Select(e => e.Version).Distinct(), Is.EqualTo(new int?[] { 1 }));
            Assert.That(stored.Where(e => e.Role == ModelEvaluation.CandidateRole).Select(e => e.TrainedBy).Distinct(), Is.EqualTo(new[] { "train" }));
            Assert.That(stored.Select(e => e.DataHash).Distinct(), Is.EqualTo(new[] { "hash-of-run-2" }));
            Assert.That(stored.Select(e => e.Model).Distinct(), Is.EqualTo(new[] { "demand" }));
            Assert.That(stored.Count(e => e.StepId == "evaluate"), Is.EqualTo(2 * 4 * 3), "executed twice, stored once: 2 models, 4 slices, 3 metrics");
        });
    }

    /// <summary>The true relation, with the demand of <paramref name="segments"/> raised by <see cref="Shift"/>.</summary>
    private static List<SyntheticRow> Shifted(params string[] segments) =>
        [.. SyntheticData.Rows(900, seed: 11, missingAmount: 0).Select(r => new SyntheticRow
        {
            Amount = r.Amount, Visits = r.Visits, Segment = r.Segment, Member = r.Member, Note = r.Note, Opened = r.Opened, Ts = r.Ts,
            Demand = segments.Contains(r.Segment) ? r.Demand + (float)Shift : r.Demand, Churned = r.Churned, Team = r.Team,
        })];

    /// <summary>Production (v1) trained on rows with north and west shifted; a second run, started by <paramref name="trigger"/>, trains on <paramref name="candidate"/>.</summary>
    private static async Task<StepHarness> CandidateAgainstProductionAsync(string trigger, List<SyntheticRow> candidate, int minRows = 30)
    {
        var harness = new StepHarness("demand", Steps(minRows));
        harness.Definition = harness.Definition with
        {
            Spec = harness.Definition.Spec with { Triggers = [new TriggerSpec { Id = "nightly", Cron = "0 0 2 * * ?", Mark = Mark }] },
        };
        var schema = SyntheticData.Schema(MlTask.Regression);
        await harness.PrepareAsync(schema, Shifted("north", "west"), TestRows);
        await harness.ExecuteAsync(harness.NewTrain(), "train");
        var first = await harness.ExecuteAsync(harness.NewEvaluate(), "evaluate");
        var deployed = await harness.ExecuteAsync(harness.NewDeploy(), "deploy");
        Assert.That(first.Status, Is.EqualTo(StepStatus.Succeeded), first.Message);
        Assert.That(deployed.Status, Is.EqualTo(StepStatus.Succeeded), deployed.Message);

        harness.NewRun("run-2");
        harness.Trigger = trigger;
        await harness.PrepareAsync(schema, candidate, TestRows);
        var trained = await harness.ExecuteAsync(harness.NewTrain(), "train");
        Assert.That(trained.Status, Is.EqualTo(StepStatus.Succeeded), trained.Message);
        return harness;
    }

    private static StepSpec[] Steps(int minRows) =>
    [
        StepHarness.Prep(),
        StepHarness.Train("train", MlTask.Regression, "sdca", features: ["amount", "visits", "segment", "member"]),
        StepHarness.Evaluate("evaluate", ["train"], "rmse") with
        {
            Slices = [new SliceSpec("segment", null, Mark)],
            SliceGates = [new SliceGateSpec("rmse", GateKind.MaxIncrease, 0.15, minRows, Mark)],
        },
        StepHarness.Deploy("deploy", "evaluate", "demand"),
    ];
}
