namespace MlOpsOrchestrator.Specs;

public sealed record MonitorStep : StepSpec
{
    public override StepKind Kind => StepKind.Monitor;
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);
    public DriftMethod DriftMethod { get; init; } = DriftMethod.Psi;
    public double DriftThreshold { get; init; } = 0.2;
    public PerformanceCheck? Performance { get; init; }
}

/// <summary>Performance on labelled rows of the window, relative to the training-time metric.</summary>
public sealed record PerformanceCheck(string Metric, double MaxIncrease);
