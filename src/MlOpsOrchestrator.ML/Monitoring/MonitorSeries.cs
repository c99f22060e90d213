using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The time series a <c>monitor</c> step appends, all stamped with the same instant, the model version watched and the
/// run and step: <c>drift.psi.&lt;feature&gt;</c> for every scored feature, <c>drift.ks.&lt;feature&gt;</c> for the
/// numeric ones, <c>metric.&lt;name&gt;</c> when performance was measured, <c>verdict.drift</c> (1 when a feature
/// drifted, else 0), <c>verdict.performance</c> (1 or 0, when measured) and <c>window.rows</c>.
/// </summary>
internal static class MonitorSeries
{
    public static List<EvaluationPoint> Points(
        StepContext context, DateTimeOffset at, MonitoredModel model, IReadOnlyList<FeatureDrift> drift, bool drifted, WindowPerformance? performance,
        bool degraded, int rows)
    {
        var points = new List<EvaluationPoint>();
        void Add(string series, double value) => points.Add(new EvaluationPoint(
            context.Definition.Name, model.Version.Name, model.Version.Version, context.Run.RunId, context.Step.Id, series, value, at));

        foreach (var feature in drift)
        {
            Add(MonitorNames.PsiSeries + feature.Feature, feature.Psi);
            if (feature.Ks is { } ks)
            {
                Add(MonitorNames.KsSeries + feature.Feature, ks);
            }
        }

        if (performance?.Window is { } value)
        {
            Add(MonitorNames.MetricSeries + performance.Metric, value);
            if (performance.Worsening is not null)
            {
                Add(MonitorNames.PerformanceVerdictSeries, degraded ? 1 : 0);
            }
        }

        Add(MonitorNames.DriftVerdictSeries, drifted ? 1 : 0);
        Add(MonitorNames.WindowRowsSeries, rows);
        return points;
    }

    /// <summary>
    /// Appends the points unless this step of this run already did (a step re-executed after a crash): the series
    /// keep one set of points per monitor execution. Returns whether it appended.
    /// </summary>
    public static async Task<bool> AppendOnceAsync(IEvaluationStore store, StepContext context, IReadOnlyList<EvaluationPoint> points, CancellationToken ct)
    {
        var since = context.Run.CreatedAt.AddMinutes(-1);
        var written = await store.ReadAsync(context.Definition.Name, MonitorNames.WindowRowsSeries, since, 10_000, ct);
        if (written.Any(p => p.RunId == context.Run.RunId && p.StepId == context.Step.Id))
        {
            return false;
        }

        await store.AppendAsync(points, ct);
        return true;
    }
}
