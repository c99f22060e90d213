using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Telemetry;

/// <summary>
/// Reads what the observable gauges report from the stores, so every <c>serve</c> of a cluster reports the same state
/// whichever process executed the runs: how many runs wait (queue, approval), the registered metrics of each version
/// an alias points to, and each model's latest drift score per feature (the series monitor steps append).
/// </summary>
public sealed class TelemetryReader(IRunRepository runs, IModelRegistry registry, IEvaluationStore evaluations, TimeProvider time)
{
    /// <summary>Counting waiting runs stops here; a backlog this deep is an alert either way.</summary>
    public const int MaxCounted = 1000;

    /// <summary>Drift points older than this are no longer a model's current drift.</summary>
    public static readonly TimeSpan DriftHorizon = TimeSpan.FromDays(30);

    /// <summary>The newest drift points read per pipeline: enough for the latest monitor of a few hundred features.</summary>
    private const int DriftPoints = 2000;

    private const string DriftPrefix = "drift.";

    public async Task<TelemetryReadings> ReadAsync(CancellationToken ct) => new()
    {
        Waiting = await WaitingAsync(ct),
        ModelMetrics = await ModelMetricsAsync(ct),
        DriftScores = await DriftScoresAsync(ct),
        ReadAt = time.GetUtcNow(),
    };

    private async Task<List<Measurement<double>>> WaitingAsync(CancellationToken ct)
    {
        var queued = await runs.FindAsync(new RunQuery { Statuses = [RunStatus.Pending], Limit = MaxCounted }, ct);
        var approval = await runs.FindAsync(new RunQuery { Statuses = [RunStatus.AwaitingApproval], Limit = MaxCounted }, ct);
        return
        [
            new(queued.Count, new KeyValuePair<string, object?>("reason", "queue")),
            new(approval.Count, new KeyValuePair<string, object?>("reason", "approval")),
        ];
    }

    private async Task<List<Measurement<double>>> ModelMetricsAsync(CancellationToken ct)
    {
        var measurements = new List<Measurement<double>>();
        foreach (var name in await registry.ListNamesAsync(ct))
        {
            foreach (var (alias, number) in (await registry.GetAliasesAsync(name, ct)).OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                if (await registry.GetAsync(name, number, ct) is not { } version)
                {
                    continue;
                }

                var versionText = number.ToString(CultureInfo.InvariantCulture);
                foreach (var (metric, value) in version.Metrics.Where(m => double.IsFinite(m.Value)).OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    measurements.Add(new Measurement<double>(value, new TagList { { "model", name }, { "version", versionText }, { "alias", alias }, { "metric", metric } }));
                }
            }
        }

        return measurements;
    }

    /// <summary>For each model and <c>drift.METHOD.COLUMN</c> series, the newest point of the last <see cref="DriftHorizon"/>.</summary>
    private async Task<List<Measurement<double>>> DriftScoresAsync(CancellationToken ct)
    {
        var measurements = new List<Measurement<double>>();
        var since = time.GetUtcNow() - DriftHorizon;
        foreach (var pipeline in await runs.ListPipelinesAsync(ct))
        {
            var points = await evaluations.ReadAsync(pipeline, DriftPrefix, since, DriftPoints, ct);
            var newest = points
                .Where(p => double.IsFinite(p.Value))
                .GroupBy(p => (p.Model, p.Series))
                .Select(g => g.OrderBy(p => p.At).Last());
            foreach (var point in newest.OrderBy(p => p.Model, StringComparer.Ordinal).ThenBy(p => p.Series, StringComparer.Ordinal))
            {
                // drift.psi.temp: the method, then the column (which may itself contain dots).
                var rest = point.Series[DriftPrefix.Length..];
                var dot = rest.IndexOf('.', StringComparison.Ordinal);
                if (dot <= 0 || dot == rest.Length - 1)
                {
                    continue;
                }

                measurements.Add(new Measurement<double>(point.Value, new TagList
                {
                    { "model", point.Model }, { "column", rest[(dot + 1)..] }, { "method", rest[..dot] },
                }));
            }
        }

        return measurements;
    }
}
