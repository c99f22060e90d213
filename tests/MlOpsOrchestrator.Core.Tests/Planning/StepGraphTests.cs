using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Planning;

[TestFixture]
public sealed class StepGraphTests
{
    [Test]
    public void Order_StepsListedOutOfOrder_DependenciesFirstAndFileOrderInsideAGroup()
    {
        var graph = Graph(("evaluate", ["train_b", "train_a"]), ("train_b", ["prep"]), ("prep", []), ("train_a", ["prep"]));

        Assert.That(Ids(graph.Order()), Is.EqualTo(new[] { "prep", "train_b", "train_a", "evaluate" }));
    }

    [Test]
    public void ParallelGroups_Diamond_TrainStepsShareAGroup()
    {
        var graph = Graph(("prep", []), ("train_a", ["prep"]), ("train_b", ["prep"]), ("evaluate", ["train_a", "train_b"]));

        var groups = graph.ParallelGroups().Select(Ids).ToList();

        Assert.That(groups, Is.EqualTo(new[] { new[] { "prep" }, new[] { "train_a", "train_b" }, new[] { "evaluate" } }));
    }

    [Test]
    public void ParallelGroups_IndependentChains_GroupedByDepth()
    {
        var graph = Graph(("a", []), ("a2", ["a"]), ("b", []), ("a3", ["a2"]), ("b2", ["b"]));

        var groups = graph.ParallelGroups().Select(Ids).ToList();

        Assert.That(groups, Is.EqualTo(new[] { new[] { "a", "b" }, new[] { "a2", "b2" }, new[] { "a3" } }));
    }

    [Test]
    public void ParallelGroups_NeedOnUnknownStep_Ignored()
    {
        var graph = Graph(("prep", ["nowhere"]), ("train", ["prep"]));

        Assert.That(graph.ParallelGroups().Select(Ids), Is.EqualTo(new[] { new[] { "prep" }, new[] { "train" } }));
    }

    [Test]
    public void FindCycle_Acyclic_ReturnsNull()
    {
        var graph = Graph(("prep", []), ("train_a", ["prep"]), ("train_b", ["prep"]), ("evaluate", ["train_a", "train_b"]));

        Assert.That(graph.FindCycle(), Is.Null);
    }

    [Test]
    public void FindCycle_TwoSteps_ReturnsCycleClosedOnItsFirstStep()
    {
        var graph = Graph(("a", ["b"]), ("b", ["a"]));

        Assert.That(graph.FindCycle(), Is.EqualTo(new[] { "a", "b", "a" }));
    }

    [Test]
    public void FindCycle_ThreeStepsBehindAnAcyclicStep_ReturnsOnlyTheCycle()
    {
        var graph = Graph(("entry", ["a"]), ("a", ["b"]), ("b", ["c"]), ("c", ["a"]));

        Assert.That(graph.FindCycle(), Is.EqualTo(new[] { "a", "b", "c", "a" }));
    }

    [Test]
    public void FindCycle_StepNeedsItself_ReturnsTheStepTwice()
    {
        var graph = Graph(("prep", []), ("a", ["prep", "a"]));

        Assert.That(graph.FindCycle(), Is.EqualTo(new[] { "a", "a" }));
    }

    [Test]
    public void Ancestors_Chain_EveryStepUpstreamButNotItselfOrDownstream()
    {
        var graph = Graph(("prep", []), ("train", ["prep"]), ("evaluate", ["train"]), ("deploy", ["evaluate"]), ("other", []));

        Assert.Multiple(() =>
        {
            Assert.That(graph.Ancestors("evaluate"), Is.EquivalentTo(new[] { "prep", "train" }));
            Assert.That(graph.Ancestors("prep"), Is.Empty);
            Assert.That(graph.Ancestors("unknown"), Is.Empty);
        });
    }

    [Test]
    public void Ancestors_Diamond_SharedAncestorOnce()
    {
        var graph = Graph(("prep", []), ("train_a", ["prep"]), ("train_b", ["prep"]), ("evaluate", ["train_a", "train_b"]));

        Assert.That(graph.Ancestors("evaluate"), Is.EquivalentTo(new[] { "prep", "train_a", "train_b" }));
    }

    [Test]
    public void Subset_TriggerSteps_DropsNeedsOutsideTheSubset()
    {
        var graph = Graph(("prep", []), ("train", ["prep"]), ("deploy", ["train"]), ("monitor", ["deploy"]), ("retrain", ["monitor"]));

        var subset = graph.Subset(["monitor", "retrain"]);

        Assert.Multiple(() =>
        {
            Assert.That(Ids(subset.Steps), Is.EqualTo(new[] { "monitor", "retrain" }));
            Assert.That(subset.Steps[0].Needs, Is.Empty);
            Assert.That(subset.Steps[1].Needs, Is.EqualTo(new[] { "monitor" }));
            Assert.That(subset.ParallelGroups().Select(Ids), Is.EqualTo(new[] { new[] { "monitor" }, new[] { "retrain" } }));
        });
    }

    private static StepGraph Graph(params (string Id, string[] Needs)[] steps) =>
        new(steps.Select((s, i) => (StepSpec)new DataPrepStep { Id = s.Id, Needs = s.Needs, Mark = new SourceMark(i + 1, 1), Position = i }).ToList());

    private static string[] Ids(IEnumerable<StepSpec> steps) => steps.Select(s => s.Id).ToArray();
}
