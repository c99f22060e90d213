using System.Globalization;
using Microsoft.ML;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The production model's <c>performance.metric</c> on the labelled rows of the window, against the value recorded with
/// the version (the evaluate step's measurement on the test set at training time). The relative worsening is
/// <c>(window − recorded) / |recorded|</c> for metrics where lower is better (rmse, mae, log_loss) and
/// <c>(recorded − window) / |recorded|</c> where higher is better, so <c>max_increase: 0.2</c> means "at most 20%
/// worse" for every metric. <see cref="Window"/> is null, with <see cref="Note"/> saying why, when nothing was measured.
/// </summary>
internal sealed record WindowPerformance(string Metric, double? Window, double? Recorded, double? Worsening, int Rows, string Note)
{
    public bool Degraded(PerformanceCheck check) => Worsening is { } worse && worse > check.MaxIncrease;

    /// <exception cref="StepInputException">The model file is missing or cannot score the window's rows.</exception>
    public static WindowPerformance Measure(IArtifactStore artifacts, MonitoredModel model, PerformanceCheck check, DataWindow? window, string? unlabelled, CancellationToken ct)
    {
        var metric = check.Metric;
        if (window?.Labelled is not { } labelled || model.Schema is not { } schema || model.Task is not { } task)
        {
            return NotMeasured(metric, unlabelled ?? window?.LabelNote ?? "no row of the window carries a label");
        }

        if (!Metrics.Fits(task, metric))
        {
            return NotMeasured(metric, $"{metric} is not a metric of {model.Label}, a {TaskNames.Of(task)} model");
        }

        if (!artifacts.Exists(model.Version.ArtifactPath))
        {
            throw new StepInputException($"production model {model.Label} has no model file in the artifact store: {model.Version.ArtifactPath}");
        }

        IReadOnlyDictionary<string, double> measured;
        var ml = new MLContext(seed: 0);
        using (MlCancellation.Link(ml, ct))
        {
            try
            {
                var transformer = ModelFile.Load(ml, artifacts.PathOf(model.Version.ArtifactPath));
                measured = new ScoredModel(transformer, schema, task).Measure(ml, labelled);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new StepInputException($"scoring production model {model.Label} on the window's labelled rows failed: {ex.Message}", ex);
            }
        }

        var rows = window.LabelledRows;
        if (!measured.TryGetValue(metric, out var value))
        {
            return NotMeasured(metric, string.Create(CultureInfo.InvariantCulture, $"{metric} cannot be computed on the {rows:N0} labelled rows (a single class?)"));
        }

        var on = string.Create(CultureInfo.InvariantCulture, $"{metric} {StepOutcomes.Number(value)} on {rows:N0} labelled rows");
        if (!model.Reference.Metrics.TryGetValue(metric, out var recorded))
        {
            return new WindowPerformance(metric, value, null, null, rows, $"{on}; {model.ReferenceLabel} records no {metric} to compare with");
        }

        var worsening = RelativeWorsening(metric, value, recorded);
        var change = double.IsPositiveInfinity(worsening) ? "worse than a perfect score"
            : worsening < 0 ? $"{Percent(-worsening)} better" : $"{Percent(worsening)} worse";
        return new WindowPerformance(metric, value, recorded, worsening, rows,
            $"{on} vs {StepOutcomes.Number(recorded)} recorded for {model.ReferenceLabel} ({change}; max_increase {Percent(check.MaxIncrease)})");
    }

    /// <summary>How much worse <paramref name="value"/> is than <paramref name="recorded"/>, relative; negative when better.</summary>
    public static double RelativeWorsening(string metric, double value, double recorded)
    {
        var worse = Metrics.HigherIsBetter(metric) ? recorded - value : value - recorded;
        if (recorded == 0)
        {
            return worse > 0 ? double.PositiveInfinity : 0;
        }

        return worse / Math.Abs(recorded);
    }

    private static WindowPerformance NotMeasured(string metric, string why) => new(metric, null, null, null, 0, $"{metric} not measured: {why}");

    private static string Percent(double fraction) => fraction.ToString("0.#%", CultureInfo.InvariantCulture);
}
