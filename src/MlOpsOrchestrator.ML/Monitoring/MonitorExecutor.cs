using System.Globalization;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// <c>monitor</c>: compares the newest <c>window</c> of data with the training data of the production model (the
/// profile saved with the version) and, with <c>performance:</c>, measures the model on the window's labelled rows.
/// The window is cut from <c>data.source</c> by <c>data.timestamp</c>, ending at the newest timestamp in the data
/// (see <see cref="SourceWindowReader"/>); without a timestamp, or when the data has no dated row, it is the
/// prediction log's requests of the last <c>window</c> of wall time. Every feature's score is held against the
/// threshold (<see cref="DriftStatistics"/>, <see cref="FeatureDrift"/>) and the worst decides; the verdict is
/// <c>drift</c>, else <c>performance</c>, else <c>ok</c>. Every score is appended to the monitoring store
/// (<see cref="MonitorSeries"/>), once per run and step, so running the step again after a crash adds nothing twice.
/// A version trained on feature view features also gets the skew check (<see cref="SkewAssessment"/>) of the values
/// logged requests carried for them over the same span of wall time: reported in the message and the result, never in
/// the verdict. The data window does not join view features, so they never count as drift either: a served value
/// computed unlike training is a fault of serving, which a retrain would not fix.
/// </summary>
public sealed class MonitorExecutor(
    SourceReaders sources, IArtifactStore artifacts, IModelRegistry registry, IEvaluationStore evaluations, IPredictionLog predictions, TimeProvider time)
    : IStepExecutor
{
    /// <summary>Below this many rows the message warns that scores are noisy.</summary>
    private const int FewRows = 100;

    public StepKind Kind => StepKind.Monitor;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Step is not MonitorStep step)
        {
            return StepOutcome.Failed($"step '{context.Step.Id}' is a {context.Step.Kind} step, not a monitor step");
        }

        try
        {
            // The step's end and its message (the verdict) are logged once, by the run executor.
            return await MonitorAsync(context, step, ct);
        }
        catch (StepInputException ex)
        {
            return StepOutcome.Failed(ex.Message);
        }
    }

    private async Task<StepOutcome> MonitorAsync(StepContext context, MonitorStep step, CancellationToken ct)
    {
        var name = MonitoredModel.RegistryName(context);
        if (await MonitoredModel.FindAsync(registry, artifacts, name, ct) is not { } model)
        {
            return StepOutcomes.Skipped($"{name} has no {MonitoredModel.Alias} version yet; nothing to monitor");
        }

        var monitored = DriftAssessment.Monitored(model.Profile, model.Schema);
        var data = await new SourceWindowReader(context, model, sources).ReadAsync(step.Window, step.Reference, ct);
        var fromData = data is { Sample.Rows: > 0 };
        WindowSample sample;
        if (fromData)
        {
            sample = data!.Sample;
        }
        else
        {
            var why = data is null ? "the pipeline has no data.timestamp to cut a window from its data" : data.Sample.Description;
            sample = await PredictionWindowReader.ReadAsync(predictions, name, monitored, time.GetUtcNow() - step.Window, ct);
            if (sample.Rows == 0)
            {
                return StepOutcomes.Skipped($"nothing to monitor: {why}, and no request to {name} was logged in the last {Duration(step.Window)}");
            }
        }

        var skew = await MeasureSkewAsync(step, model, name, ct);
        var reference = MonitorReference.Choose(step, model, monitored, fromData ? data : null);
        var drift = DriftAssessment.Measure(reference.Columns, sample);
        var worst = DriftAssessment.Worst(drift, step.DriftMethod);
        var found = worst is not null && worst.Score(step.DriftMethod) > step.DriftThreshold;
        var answered = found && fromData ? MonitorReference.Answered(model, sample.Newest) : null;
        var drifted = found && answered is null;
        var performance = step.Performance is { } check
            ? await Task.Run(() => WindowPerformance.Measure(artifacts, model, check, fromData ? data : null, fromData ? null : "logged requests carry no labels", ct), ct)
            : null;
        var degraded = performance is not null && performance.Degraded(step.Performance!);
        var verdict = drifted ? MonitorVerdict.Drift : degraded ? MonitorVerdict.Performance : MonitorVerdict.Ok;

        var points = MonitorSeries.Points(context, time.GetUtcNow(), model, drift, drifted, performance, degraded, sample.Rows);
        await MonitorSeries.AppendOnceAsync(evaluations, context, points, ct);

        var message = Message(step, reference, drift, worst, found, answered, performance, degraded, sample);
        if (skew is not null)
        {
            message += $"; {SkewAssessment.Summary(skew)}";
        }

        context.Progress($"{step.Id}: {message}");
        return new StepOutcome
        {
            Status = StepStatus.Succeeded,
            Metrics = Metrics(step, worst, performance),
            Result = Result(step, model, worst, verdict, sample, !fromData, reference, answered is not null) with
            {
                SkewedFeatures = skew is { Requests: > 0 } ? [.. skew.Skewed.Select(f => f.Column)] : null,
                SkewChecked = skew is { Requests: > 0 } ? skew.Features.Count : null,
            },
            Message = message,
        };
    }

    /// <summary>The skew of the production version's view features over the requests of the window's span of wall time; null without view features.</summary>
    private async Task<SkewReport?> MeasureSkewAsync(MonitorStep step, MonitoredModel model, string name, CancellationToken ct)
    {
        if (model.Schema?.ViewFeatures is not { Count: > 0 })
        {
            return null;
        }

        var since = time.GetUtcNow() - step.Window;
        var records = await predictions.ReadAsync(name, since, PredictionWindowReader.MaxRecords, ct);
        return SkewAssessment.Measure(name, model.Version.Version, model.Profile, model.Schema, records, since, step.DriftMethod, step.Skew ?? SkewCheck.Default);
    }

    private static Dictionary<string, double> Metrics(MonitorStep step, FeatureDrift? worst, WindowPerformance? performance)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (worst is not null)
        {
            metrics[MonitorNames.DriftMax] = worst.Score(step.DriftMethod);
        }

        if (performance?.Window is { } value)
        {
            metrics[performance.Metric] = value;
        }

        return metrics;
    }

    private static MonitorResult Result(
        MonitorStep step, MonitoredModel model, FeatureDrift? worst, MonitorVerdict verdict, WindowSample sample, bool fromPredictions,
        MonitorReference reference, bool answered) => new()
    {
        Verdict = verdict,
        WindowRows = sample.Rows,
        WindowSource = fromPredictions ? WindowSource.Predictions : WindowSource.Data,
        ModelVersion = model.Version.Version,
        WindowEnd = !fromPredictions && sample.Newest is { } newest ? new DateTimeOffset(DateTime.SpecifyKind(newest, DateTimeKind.Utc)) : null,
        WorstFeature = worst?.Feature,
        WorstScore = worst?.Score(step.DriftMethod),
        Reference = reference.Name,
        DriftAnswered = answered,
    };

    /// <summary><c>drift on temp: PSI 0.41 &gt; 0.2; rmse …; 336 rows of bikes.csv from … to …</c>.</summary>
    private static string Message(
        MonitorStep step, MonitorReference reference, IReadOnlyList<FeatureDrift> drift, FeatureDrift? worst, bool drifted, string? answered,
        WindowPerformance? performance, bool degraded, WindowSample sample)
    {
        var threshold = step.DriftThreshold.ToString(CultureInfo.InvariantCulture);
        var parts = new List<string>();
        var driftPart = worst is null
            ? "no drift: no feature could be scored"
            : drifted
                ? $"drift on {worst.Feature}: {Score(step, worst)} > {threshold}"
                : $"no drift: worst feature {worst.Feature} {Score(step, worst)} ≤ {threshold}";
        if (drifted)
        {
            var others = drift.Where(d => !ReferenceEquals(d, worst) && d.Score(step.DriftMethod) > step.DriftThreshold).Select(d => $"{d.Feature} {Score(step, d)}").ToList();
            if (others.Count > 0)
            {
                driftPart += $" (also {string.Join(", ", others)})";
            }

            if (answered is not null)
            {
                driftPart += $", already answered: {answered}";
            }
        }

        // The part that decided the verdict comes first.
        if (degraded && !drifted)
        {
            parts.Add($"performance: {performance!.Note}");
            parts.Add(driftPart);
        }
        else
        {
            parts.Add(driftPart);
            if (performance is not null)
            {
                parts.Add(performance.Note);
            }
        }

        parts.Add($"{sample.Description} against {reference.Description}");
        if (sample.Rows < FewRows)
        {
            // PSI of n values drawn from the training distribution itself is about (bins − 1) / n: 0.09 at 100 rows.
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"only {sample.Rows:N0} rows: by chance alone a 10-bin PSI is about {9.0 / sample.Rows:0.00}, so a longer window gives steadier scores"));
        }

        if (sample.LeftOut > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{sample.LeftOut:N0} {(sample.LeftOut == 1 ? "row" : "rows")} left out for values that cannot be read"));
        }

        return string.Join("; ", parts);
    }

    private static string Score(MonitorStep step, FeatureDrift feature) =>
        $"{feature.Statistic(step.DriftMethod)} {StepOutcomes.Number(feature.Score(step.DriftMethod))}";

    /// <summary>A window as the pipeline file writes it: <c>14d</c>, <c>1h</c>, <c>15m</c>, <c>90s</c>.</summary>
    private static string Duration(TimeSpan window) => window switch
    {
        { Ticks: var t } when t % TimeSpan.TicksPerDay == 0 => string.Create(CultureInfo.InvariantCulture, $"{window.TotalDays:0}d"),
        { Ticks: var t } when t % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{window.TotalHours:0}h"),
        { Ticks: var t } when t % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{window.TotalMinutes:0}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{window.TotalSeconds:0}s"),
    };
}
