namespace MlOpsOrchestrator.ML.SampleData;

/// <summary>What to generate: how many rows from when, one row per <see cref="Step"/>, with an optional concept drift.</summary>
public sealed record SampleSettings
{
    public int Rows { get; init; } = 5000;
    public int Seed { get; init; } = 7;
    public DateTime Start { get; init; } = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public TimeSpan Step { get; init; } = TimeSpan.FromHours(1);

    /// <summary>From this time on the relationship between features and label changes (concept drift); null for none.</summary>
    public DateTime? DriftAt { get; init; }

    /// <summary>Fraction of feature values left empty, to exercise missing-value policies.</summary>
    public double MissingFraction { get; init; } = 0.01;
}
