using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The skew check outside a run (<c>mlops features skew</c>): the same <see cref="SkewAssessment"/> the monitor step
/// makes, for a model's production version or a given one, over the requests logged since a time.
/// </summary>
public static class FeatureSkewCheck
{
    /// <summary>The report, or why there is none (unknown model or version, no production version, no profile).</summary>
    public static async Task<(SkewReport? Report, string? Problem)> RunAsync(
        IModelRegistry registry, IArtifactStore artifacts, IPredictionLog log, string model, int? version, DateTimeOffset since,
        DriftMethod method, SkewCheck rule, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(log);
        int number;
        if (version is { } given)
        {
            number = given;
        }
        else if ((await registry.GetAliasesAsync(model, ct)).TryGetValue(MonitoredModel.Alias, out var production))
        {
            number = production;
        }
        else
        {
            return (null, (await registry.ListVersionsAsync(model, ct)).Count == 0
                ? $"unknown model '{model}'"
                : $"{model} has no {MonitoredModel.Alias} version; name one with --version");
        }

        if (await registry.GetAsync(model, number, ct) is not { } found)
        {
            return (null, $"{model} has no version {number}");
        }

        MonitoredModel monitored;
        try
        {
            monitored = await MonitoredModel.OfAsync(registry, artifacts, found, ct);
        }
        catch (StepInputException ex)
        {
            return (null, ex.Message);
        }

        var records = await log.ReadAsync(model, since, PredictionWindowReader.MaxRecords, ct);
        var report = SkewAssessment.Measure(model, number, monitored.Profile, monitored.Schema, records, since, method, rule);
        return report is null
            ? (null, $"{monitored.Label} was trained on no feature view features (its pipeline has no data.features), so there is no skew to check")
            : (report, null);
    }
}
