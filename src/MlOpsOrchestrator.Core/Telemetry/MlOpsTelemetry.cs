using System.Diagnostics;
using System.Diagnostics.Metrics;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Telemetry;

/// <summary>
/// Every metric and span the product emits, defined once: one <see cref="Meter"/> and one <see cref="ActivitySource"/>
/// named <see cref="Name"/>, on the platform's own APIs so that Core needs no exporter. The host decides where they go
/// (Prometheus text at <c>/metrics</c>, OTLP); with nothing listening, recording costs next to nothing. Each event is
/// recorded where it happens, once: a run's end in the executor, a step's end in the step runner, a fire in the
/// Quartz job, a prediction in the predict endpoint. The instrument names are the Prometheus names operators query.
/// </summary>
public static class MlOpsTelemetry
{
    /// <summary>The meter's and the activity source's name: what an OpenTelemetry pipeline subscribes to.</summary>
    public const string Name = "MlOpsOrchestrator";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Seconds from a few milliseconds to a day: fires are late by milliseconds, runs last minutes to hours.</summary>
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

    private static readonly double[] PredictionBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>(
        "mlops_runs_total", description: "Runs that ended, by pipeline, trigger and final status (succeeded, failed, cancelled).");

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram(
        "mlops_run_duration_seconds", "s", "From a run's start to its end.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram(
        "mlops_step_duration_seconds", "s", "One execution of a step, by pipeline, step id, kind and status.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Histogram<double> FireLateness = Meter.CreateHistogram(
        "mlops_fire_lateness_seconds", "s", "How long after its scheduled time a cron trigger fired.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static readonly Counter<long> Predictions = Meter.CreateCounter<long>(
        "mlops_predictions_total", description: "Prediction requests answered, by model, alias and status (ok, rejected, error).");

    private static readonly Histogram<double> PredictionDuration = Meter.CreateHistogram(
        "mlops_prediction_duration_seconds", "s", "Time to answer one prediction request.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PredictionBuckets });

    private static TelemetryReadings? _readings;

    static MlOpsTelemetry()
    {
        Meter.CreateObservableGauge("mlops_runs_waiting", () => Observe(r => r.Waiting), description: "Runs not executing, by why: queue (pending), approval (awaiting a decision).");
        Meter.CreateObservableGauge("mlops_model_metric", () => Observe(r => r.ModelMetrics), description: "The metrics a model version was registered with, for every version an alias points to.");
        Meter.CreateObservableGauge("mlops_drift_score", () => Observe(r => r.DriftScores), description: "The latest drift score of each feature a monitor step measured, by model, column and method.");
    }

    /// <summary>
    /// What the observable gauges report, read from the stores by the host (run history, the registry, monitor results);
    /// null until a host has read them once, and in a process that does not (the gauges then report nothing).
    /// </summary>
    public static TelemetryReadings? Readings
    {
        get => Volatile.Read(ref _readings);
        set => Volatile.Write(ref _readings, value);
    }

    /// <summary>The span of one execution of a run, continuing the trace it was started in (the fire's, the request's) when there is one.</summary>
    public static Activity? StartRun(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var activity = Source.StartActivity($"run {run.Pipeline}", ActivityKind.Internal);
        activity?.SetTag("mlops.run_id", run.RunId);
        activity?.SetTag("mlops.pipeline", run.Pipeline);
        activity?.SetTag("mlops.trigger", run.Trigger);
        return activity;
    }

    public static Activity? StartStep(StepRecord step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var activity = Source.StartActivity($"step {step.StepId}", ActivityKind.Internal);
        activity?.SetTag("mlops.run_id", step.RunId);
        activity?.SetTag("mlops.step", step.StepId);
        activity?.SetTag("mlops.step_kind", step.Kind);
        return activity;
    }

    /// <summary>A cron trigger's fire, the root of the run's trace.</summary>
    public static Activity? StartFire(string pipeline, string trigger)
    {
        var activity = Source.StartActivity($"fire {pipeline}/{trigger}", ActivityKind.Internal);
        activity?.SetTag("mlops.pipeline", pipeline);
        activity?.SetTag("mlops.trigger", trigger);
        return activity;
    }

    /// <summary>A run reached an end state (succeeded, failed, cancelled).</summary>
    public static void RunEnded(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var tags = new TagList { { "pipeline", run.Pipeline }, { "trigger", run.Trigger }, { "status", StatusNames.Of(run.Status) } };
        Runs.Add(1, tags);
        if (run is { StartedAt: { } started, FinishedAt: { } finished })
        {
            RunDuration.Record(Math.Max(0, (finished - started).TotalSeconds), tags);
        }
    }

    public static void StepEnded(string pipeline, StepRecord step, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(step);
        StepDuration.Record(elapsed.TotalSeconds, new TagList
        {
            { "pipeline", pipeline }, { "step", step.StepId }, { "kind", step.Kind }, { "status", StatusNames.Of(step.Status) },
        });
    }

    public static void Fired(string pipeline, string trigger, TimeSpan late) =>
        FireLateness.Record(Math.Max(0, late.TotalSeconds), new TagList { { "pipeline", pipeline }, { "trigger", trigger } });

    /// <summary>A prediction request was answered: <c>ok</c>, <c>rejected</c> (the request was wrong) or <c>error</c> (the model could not answer).</summary>
    public static void Predicted(string model, string alias, string status, TimeSpan elapsed)
    {
        var tags = new TagList { { "model", model }, { "alias", alias }, { "status", status } };
        Predictions.Add(1, tags);
        PredictionDuration.Record(elapsed.TotalSeconds, tags);
    }

    private static IEnumerable<Measurement<double>> Observe(Func<TelemetryReadings, IEnumerable<Measurement<double>>> select) =>
        Readings is { } readings ? select(readings) : [];
}
