using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.TestSupport;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>The pipelines the repository ships prepare their sample data without a problem.</summary>
[TestFixture]
public sealed class ShippedPipelinesTests
{
    private static IEnumerable<string> Pipelines() =>
        Directory.GetFiles(RepositoryPaths.Combine("pipelines"), "*.yaml").Select(Path.GetFileName).Order()!;

    [TestCaseSource(nameof(Pipelines))]
    public async Task Execute_ShippedPipeline_PreparesSampleData(string file)
    {
        using var harness = new DataPrepHarness(RepositoryPaths.Root);
        var definition = harness.Load(File.ReadAllText(RepositoryPaths.Combine("pipelines", file)), Path.Combine("pipelines", file));

        var outcome = await harness.RunAsync(definition);

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Prep().Rows, Is.GreaterThan(1000));
    }
}
