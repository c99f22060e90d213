using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Replay;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// The rules of what a pipeline and a range must be for a replay; each returns the reason when they are not met
/// (exit code 2), never throws.
/// </summary>
internal static class ReplayInput
{
    /// <summary>Rows a first full run has before it when the pipeline sets no <c>checks.min_rows</c>.</summary>
    public const int DefaultFirstRows = 100;

    /// <summary>The model the pipeline deploys (its first deploy step) and the alias that serves it, or the problem.</summary>
    public static (DeployStep? Deploy, string? Problem) Deploy(PipelineSpec spec) =>
        spec.Steps.OfType<DeployStep>().FirstOrDefault() is { } deploy
            ? (deploy, null)
            : (null, "the pipeline has no deploy step: a replay scores each row with the version in production, and nothing would ever be deployed");

    /// <summary>The evaluate step's primary metric (as evaluate picks it), or the problem when a replay cannot compute it.</summary>
    public static (string? Metric, string? Problem) Metric(PipelineSpec spec)
    {
        if (spec.Steps.OfType<TrainStep>().FirstOrDefault() is not { } train)
        {
            return (null, "the pipeline has no train step");
        }

        var evaluate = spec.Steps.OfType<EvaluateStep>().FirstOrDefault();
        var metric = evaluate?.PrimaryMetric ?? (evaluate is { Gates.Count: > 0 } ? evaluate.Gates[0].Metric : Metrics.Default(train.Task));
        return PrequentialMetric.Supported.Contains(metric)
            ? (metric, null)
            : (null, $"the primary metric '{metric}' cannot be computed row by row; set evaluate's primary_metric to one of: {string.Join(", ", PrequentialMetric.Supported.Where(m => Metrics.Fits(train.Task, m)))}");
    }

    /// <summary>
    /// The default start: the first timestamp plus what the first full run needs, i.e. the time of the
    /// <c>checks.min_rows</c>-th row (100 when unset) and at least the largest monitor or training window after the first row.
    /// </summary>
    public static DateTimeOffset DefaultFrom(PipelineSpec spec, ReplayTable table)
    {
        var minRows = spec.Steps.OfType<DataPrepStep>().Select(s => s.Checks.MinRows ?? 0).DefaultIfEmpty(0).Max();
        var rows = Math.Clamp(Math.Max(minRows, DefaultFirstRows), 1, table.Ticks.Count);
        var windows = spec.Steps.OfType<MonitorStep>().Select(m => m.Window)
            .Concat(spec.Steps.OfType<TrainStep>().Select(t => t.Incremental?.Window ?? TimeSpan.Zero))
            .DefaultIfEmpty(TimeSpan.Zero).Max();
        var at = new DateTime(Math.Max(table.Ticks[rows - 1], table.Ticks[0] + windows.Ticks), DateTimeKind.Utc);
        return new DateTimeOffset(at > table.Newest ? table.Newest : at);
    }

    /// <summary>Why <paramref name="from"/>..<paramref name="to"/> is not a range of the data, or null.</summary>
    public static string? RangeProblem(DateTimeOffset from, DateTimeOffset to, ReplayTable table)
    {
        var (first, newest) = (new DateTimeOffset(table.First), new DateTimeOffset(table.Newest));
        return from < first ? $"--from {Iso(from)} is before the first row ({Iso(first)}): there is no data to train the first model on"
            : from >= newest ? $"--from {Iso(from)} is not before the newest row ({Iso(newest)}): there is nothing left to replay"
            : to > newest ? $"--to {Iso(to)} is after the newest row ({Iso(newest)})"
            : to <= from ? $"--to {Iso(to)} is not after --from {Iso(from)}"
            : null;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
