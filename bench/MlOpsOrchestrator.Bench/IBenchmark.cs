namespace MlOpsOrchestrator.Bench;

/// <summary>A benchmark: measures one or more figures, each against the raw engine in the same run.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct);
}
