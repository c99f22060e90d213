namespace MlOpsOrchestrator.Bench;

public static class BenchmarkCatalog
{
    public static IReadOnlyList<IBenchmark> All { get; } = [new ValidationBenchmark()];
}
