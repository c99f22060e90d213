using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The model page's history charts: the monitored metric next to each version's evaluation metric, and the worst
/// drift score of each monitor execution against the threshold, both with the moves of <c>production</c> and the
/// retrain runs marked. <see cref="LoadAsync"/> gathers the data; the chart builders are pure.
/// </summary>
internal static class ModelCharts
{
    public const string EmptyText = "no monitoring data yet — a pipeline with a monitor step records it";

    public const string NoMetricText = "no metric recorded yet — a monitor step with a performance check records one";

    /// <summary>The newest points read per pipeline and series family (a monitor execution writes one drift point per feature and statistic).</summary>
    public const int PointLimit = 5000;

    /// <summary>
    /// The newest runs per pipeline searched for retrains (the run store cannot filter by trigger): with a trigger every
    /// five minutes this reaches back about a week; older retrains are not marked.
    /// </summary>
    public const int RunLimit = 2000;

    private const string MetricPrefix = "metric.";
    private const string DriftPrefix = "drift.";

    /// <summary>What the charts show, read from the stores and the pipeline catalog.</summary>
    public sealed record Data(
        IReadOnlyList<EvaluationPoint> Metrics,
        IReadOnlyList<EvaluationPoint> Drift,
        IReadOnlyList<RunRecord> Retrains,
        IReadOnlyList<Monitor> Monitors)
    {
        public static Data Empty { get; } = new([], [], [], []);

        /// <summary>The primary metric of the pipeline that registers the model (its evaluate step's), when known.</summary>
        public string? Primary { get; init; }
    }

    /// <summary>A monitor step of a pipeline that watches the model, as its current definition says.</summary>
    public sealed record Monitor(string Pipeline, string StepId, DriftMethod Method, double Threshold, string? PerformanceMetric);

    /// <summary>
    /// The points of the model <paramref name="name"/> from the pipelines that may record them: those whose deploy step
    /// registers it, the pipeline of its newest version's run, and the pipeline named like the model. Retrain runs are
    /// runs of those pipelines started by an <c>on: drift</c> trigger (not cancelled: a cancelled fire retrained nothing).
    /// </summary>
    public static async Task<Data> LoadAsync(
        DashboardServices services, IEvaluationStore? evaluations, string name, IReadOnlyList<ModelVersion> versions, CancellationToken ct)
    {
        var pipelines = new List<string>();
        void Add(string? pipeline)
        {
            if (!string.IsNullOrEmpty(pipeline) && !pipelines.Contains(pipeline, StringComparer.Ordinal))
            {
                pipelines.Add(pipeline);
            }
        }

        foreach (var entry in services.Catalog?.Entries ?? [])
        {
            if (entry.Definition?.Spec.Steps.OfType<DeployStep>().Any(d => d.Model == name) == true)
            {
                Add(entry.Name);
            }
        }

        if (versions.Count > 0 && await services.Runs.GetAsync(versions.MaxBy(v => v.Version)!.RunId, ct) is { } newest)
        {
            Add(newest.Pipeline);
        }

        Add(name);

        List<EvaluationPoint> metrics = [], drift = [];
        List<RunRecord> retrains = [];
        List<Monitor> monitors = [];
        string? primary = null;
        foreach (var pipeline in pipelines)
        {
            var spec = services.Catalog?.Find(pipeline)?.Definition?.Spec;
            primary ??= spec is null ? null : EvaluateStep.PrimaryOf(spec);
            monitors.AddRange(spec?.Steps.OfType<MonitorStep>().Select(s => new Monitor(pipeline, s.Id, s.DriftMethod, s.DriftThreshold, s.Performance?.Metric)) ?? []);
            if (evaluations is not null)
            {
                metrics.AddRange((await evaluations.ReadAsync(pipeline, MetricPrefix, null, PointLimit, ct)).Where(p => p.Model == name));
                drift.AddRange((await evaluations.ReadAsync(pipeline, DriftPrefix, null, PointLimit, ct)).Where(p => p.Model == name));
            }

            var driftTriggers = spec?.Triggers.Where(t => t.IsDrift).Select(t => t.Id).ToHashSet(StringComparer.Ordinal) ?? [];
            retrains.AddRange((await services.Runs.ListAsync(pipeline, RunLimit, ct)).Where(r => IsRetrain(r, driftTriggers)));
        }

        return new Data(metrics, drift, retrains, monitors) { Primary = primary };
    }

    /// <summary>
    /// A run started by one of <paramref name="driftTriggers"/>; when the trigger was renamed since, the idempotency key
    /// the <c>retrain</c> step gives every run it starts (<c>pipeline|trigger|retrain-of|run</c>) still tells.
    /// </summary>
    public static bool IsRetrain(RunRecord run, IReadOnlySet<string> driftTriggers) =>
        run.Status != RunStatus.Cancelled
        && (driftTriggers.Contains(run.Trigger) || RetrainKey.StartedBy(run) is not null);

    /// <summary>
    /// The metric to chart: the series of the newest <c>metric.*</c> point, else the pipeline's primary metric when a
    /// version recorded it, else the monitor's performance metric when a version recorded it, else the first (ordinal)
    /// metric of the newest version that has metrics; null when none.
    /// </summary>
    public static string? ChooseMetric(Data data, IReadOnlyList<ModelVersion> versions)
    {
        if (data.Metrics.Count > 0)
        {
            return data.Metrics.MaxBy(p => p.At)!.Series[MetricPrefix.Length..];
        }

        var recorded = versions.SelectMany(v => v.Metrics.Keys).ToHashSet(StringComparer.Ordinal);
        if (data.Primary is { } primary && recorded.Contains(primary))
        {
            return primary;
        }

        if (data.Monitors.Select(m => m.PerformanceMetric).FirstOrDefault(m => m is not null && recorded.Contains(m)) is { } performance)
        {
            return performance;
        }

        var keys = versions.Where(v => v.Metrics.Count > 0).MaxBy(v => v.Version)?.Metrics.Keys.Order(StringComparer.Ordinal).ToList() ?? [];

        // The evaluate step also records the production version's scores as production_<metric>; the model's own come first.
        return keys.FirstOrDefault(k => !k.StartsWith("production_", StringComparison.Ordinal)) ?? keys.FirstOrDefault();
    }

    /// <summary>The monitored metric as a line and each version's evaluation metric as dots at its creation time.</summary>
    public static TimeSeriesChart MetricChart(Data data, IReadOnlyList<ModelVersion> versions, IReadOnlyList<AliasChange> history)
    {
        if (ChooseMetric(data, versions) is not { } metric)
        {
            return new TimeSeriesChart { Title = "Metric", CssClass = "mlops-chart-metric", EmptyText = NoMetricText };
        }

        var monitored = data.Metrics
            .Where(p => p.Series == MetricPrefix + metric)
            .Select(p => new ChartPoint(p.At, p.Value, $"{Badges.Time(p.At)} · {metric} {TimeSeriesChart.Value(p.Value)} on recent data · v{p.ModelVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} · run {p.RunId}"))
            .ToList();
        var evaluated = versions
            .Where(v => v.Metrics.ContainsKey(metric))
            .Select(v => new ChartPoint(v.CreatedAt, v.Metrics[metric], $"{Badges.Time(v.CreatedAt)} · v{v.Version} · {metric} {TimeSeriesChart.Value(v.Metrics[metric])} at evaluation · run {v.RunId}"))
            .ToList();
        var series = new List<ChartSeries>();
        if (monitored.Count > 0)
        {
            series.Add(new ChartSeries($"{metric} (monitored)", monitored));
        }

        if (evaluated.Count > 0)
        {
            series.Add(new ChartSeries($"{metric} per version (evaluation)", evaluated, SeriesStyle.Points));
        }

        return new TimeSeriesChart
        {
            Title = $"Metric {metric}",
            CssClass = "mlops-chart-metric",
            Series = series,
            Markers = Markers(history, data.Retrains, series),
            EmptyText = NoMetricText,
        };
    }

    /// <summary>
    /// The worst drift score of each monitor execution (run and step) under that step's method, with the feature named
    /// in the tooltip, and the threshold line when the monitor steps agree on one.
    /// </summary>
    public static TimeSeriesChart DriftChart(Data data, IReadOnlyList<AliasChange> history)
    {
        var points = new List<ChartPoint>();
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        var used = new HashSet<Monitor>();
        foreach (var execution in data.Drift.GroupBy(p => (p.Pipeline, p.RunId, p.StepId)).OrderBy(g => g.Max(p => p.At)))
        {
            var monitor = data.Monitors.FirstOrDefault(m => m.Pipeline == execution.Key.Pipeline && m.StepId == execution.Key.StepId);
            if (Worst(execution, monitor) is not { } worst)
            {
                continue;
            }

            if (monitor is not null)
            {
                used.Add(monitor);
            }

            var (method, feature) = Split(worst.Series);
            methods.Add(method);
            var at = execution.Max(p => p.At);
            var above = monitor is null ? "" : worst.Value > monitor.Threshold ? $" > {TimeSeriesChart.Value(monitor.Threshold)}: drift" : $" ≤ {TimeSeriesChart.Value(monitor.Threshold)}";
            var version = worst.ModelVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            points.Add(new ChartPoint(at, worst.Value, $"{Badges.Time(at)} · worst feature {feature}: {method} {TimeSeriesChart.Value(worst.Value)}{above} · v{version} · run {execution.Key.RunId}"));
        }

        var thresholds = (used.Count > 0 ? used : data.Monitors.ToHashSet()).Select(m => m.Threshold).Distinct().ToList();
        var series = points.Count == 0 ? new List<ChartSeries>() : [new ChartSeries(methods.Count == 1 ? $"worst drift ({methods.Min})" : "worst drift score", points)];
        return new TimeSeriesChart
        {
            Title = "Drift",
            CssClass = "mlops-chart-drift",
            Series = series,
            Markers = Markers(history, data.Retrains, series),
            Threshold = thresholds.Count == 1 ? new ChartThreshold(thresholds[0], $"threshold {TimeSeriesChart.Value(thresholds[0])}") : null,
            EmptyText = EmptyText,
        };
    }

    /// <summary>
    /// The moves of <c>production</c> (labelled with the version) and the retrain runs, from a little before the first
    /// point on (a tenth of the points' span, at least an hour): older events would squeeze the data into a corner.
    /// </summary>
    public static IReadOnlyList<ChartMarker> Markers(IReadOnlyList<AliasChange> history, IReadOnlyList<RunRecord> retrains, IReadOnlyList<ChartSeries> series)
    {
        var times = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Value)).Select(p => p.At).ToList();
        if (times.Count == 0)
        {
            return [];
        }

        var (first, last) = (times.Min(), times.Max());
        var margin = TimeSpan.FromTicks(Math.Max((last - first).Ticks / 10, TimeSpan.FromHours(1).Ticks));
        var since = first - margin;
        var markers = new List<ChartMarker>();
        foreach (var move in history.Where(h => h.Alias == ModelPage.Production && h.At >= since))
        {
            var from = move.PreviousVersion is { } previous ? $" (was v{previous})" : "";
            var why = move.Reason is { } reason ? ": " + reason : "";
            markers.Add(new ChartMarker(move.At, $"v{move.Version}", MarkerKind.Deploy, $"{Badges.Time(move.At)} · {ModelPage.Production} → v{move.Version}{from} by {move.By}{why}"));
        }

        foreach (var run in retrains.Where(r => r.CreatedAt >= since))
        {
            markers.Add(new ChartMarker(run.CreatedAt, "retrain", MarkerKind.Retrain, $"{Badges.Time(run.CreatedAt)} · retrain run {run.RunId} (trigger {run.Trigger}) · {StatusNames.Of(run.Status)}"));
        }

        return markers.OrderBy(m => m.At).ToList();
    }

    /// <summary>The highest finite score of one monitor execution under its step's method (any drift series when the step is unknown).</summary>
    private static EvaluationPoint? Worst(IEnumerable<EvaluationPoint> execution, Monitor? monitor)
    {
        var finite = execution.Where(p => double.IsFinite(p.Value)).ToList();
        var prefix = monitor?.Method switch
        {
            null => null,
            DriftMethod.Ks => DriftPrefix + "ks.",
            _ => DriftPrefix + "psi.",
        };
        var scored = prefix is null ? finite : finite.Where(p => p.Series.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return (scored.Count > 0 ? scored : finite).MaxBy(p => p.Value);
    }

    /// <summary><c>drift.psi.temp</c> → (<c>psi</c>, <c>temp</c>); a feature name may itself contain dots.</summary>
    private static (string Method, string Feature) Split(string series)
    {
        var rest = series.StartsWith(DriftPrefix, StringComparison.Ordinal) ? series[DriftPrefix.Length..] : series;
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? ("score", rest) : (rest[..dot], rest[(dot + 1)..]);
    }
}
