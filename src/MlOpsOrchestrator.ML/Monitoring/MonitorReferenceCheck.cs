using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>What one <c>reference</c> found for a monitor's window: drift (not answered by production) or not, and the worst feature.</summary>
/// <param name="Reference">The reference asked for: <c>training</c>, <c>previous_window</c> or <c>same_period</c>.</param>
/// <param name="Used">The one used (<c>training</c> when the data cannot give the one asked for).</param>
/// <param name="DriftFound">A feature scored above the threshold, and production had not already answered it.</param>
/// <param name="WorstFeature">The feature with the highest score; null when none could be scored.</param>
/// <param name="WorstScore">Its score.</param>
public sealed record ReferenceFinding(string Reference, string Used, bool DriftFound, string? WorstFeature, double? WorstScore);

/// <summary>
/// A monitor step's drift judgement under each of the three references, on the same window of the pipeline's data and
/// the same production version, as the step itself would judge it with that <c>reference</c> (the threshold, the
/// method, a drift production already answered). Nothing is written: it is how <c>mlops replay</c> shows what each
/// choice would have done.
/// </summary>
public sealed class MonitorReferenceCheck(SourceReaders sources, IArtifactStore artifacts, IModelRegistry registry)
{
    public static readonly IReadOnlyList<DriftReference> All = [DriftReference.Training, DriftReference.PreviousWindow, DriftReference.SamePeriod];

    /// <summary>One finding per reference, in <see cref="All"/> order; empty when there is no production model or no dated window.</summary>
    public async Task<IReadOnlyList<ReferenceFinding>> CompareAsync(StepContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Step is not MonitorStep step
            || await MonitoredModel.FindAsync(registry, artifacts, MonitoredModel.RegistryName(context), ct) is not { } model)
        {
            return [];
        }

        var monitored = DriftAssessment.Monitored(model.Profile, model.Schema);
        var findings = new List<ReferenceFinding>();
        foreach (var reference in All)
        {
            var data = await new SourceWindowReader(context, model, sources).ReadAsync(step.Window, reference, ct);
            if (data is not { Sample.Rows: > 0 })
            {
                return [];
            }

            var chosen = MonitorReference.Choose(step with { Reference = reference }, model, monitored, data);
            var drift = DriftAssessment.Measure(chosen.Columns, data.Sample);
            var worst = DriftAssessment.Worst(drift, step.DriftMethod);
            var found = worst is not null && worst.Score(step.DriftMethod) > step.DriftThreshold
                && MonitorReference.Answered(model, data.Sample.Newest) is null;
            findings.Add(new ReferenceFinding(Word(reference), chosen.Name, found, worst?.Feature, worst?.Score(step.DriftMethod)));
        }

        return findings;
    }

    public static string Word(DriftReference reference) => reference switch
    {
        DriftReference.PreviousWindow => "previous_window",
        DriftReference.SamePeriod => "same_period",
        _ => "training",
    };
}
