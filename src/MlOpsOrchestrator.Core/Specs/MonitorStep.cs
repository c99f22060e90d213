namespace MlOpsOrchestrator.Specs;

public sealed record MonitorStep : StepSpec
{
    public override StepKind Kind => StepKind.Monitor;
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);
    public DriftMethod DriftMethod { get; init; } = DriftMethod.Psi;
    public double DriftThreshold { get; init; } = 0.2;
    public PerformanceCheck? Performance { get; init; }

    /// <summary>What the window's feature values are compared with for drift (<c>reference:</c>).</summary>
    public DriftReference Reference { get; init; } = DriftReference.Training;

    /// <summary>The skew rule as written (<c>skew:</c>); null when the step has none and the defaults apply.</summary>
    public SkewCheck? Skew { get; init; }
}
