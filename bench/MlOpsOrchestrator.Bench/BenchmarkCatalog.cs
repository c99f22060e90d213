namespace MlOpsOrchestrator.Bench;

public static class BenchmarkCatalog
{
    public static IReadOnlyList<IBenchmark> All { get; } = [new ValidationBenchmark(), new WarmStartBenchmark(), new FireToStartBenchmark(), new ThroughputBenchmark(), new TrainingOverheadBenchmark(), new RunOverheadBenchmark(), new DefinitionsScaleBenchmark(), new ServingBenchmark(), new PredictBenchmark(), new ReplayBenchmark(), new ArtifactStoreBenchmark(), new FeatureJoinBenchmark(), new FeedbackJoinBenchmark()];
}
