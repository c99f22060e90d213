namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// One feature view feature of a model version: its training distribution against the values served for it.
/// <see cref="Distance"/> is the drift statistic (<see cref="Statistic"/>: PSI or binned KS) of the served values
/// against the training histogram, null when nothing was served (or training has no histogram); the shares missing
/// are of training rows and of request rows. <see cref="Reason"/> says why it is skewed, null when it is not.
/// </summary>
public sealed record FeatureSkew(
    string View,
    string Feature,
    string Column,
    double? TrainingMean,
    double TrainingMissing,
    double? ServedMean,
    double ServedMissing,
    int ServedValues,
    double? Distance,
    string Statistic,
    string? Reason)
{
    public bool Skewed => Reason is not null;
}
