using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Feedback;

/// <summary>
/// Streams the two reads of <see cref="IFeedbackStore"/> once each: the labelled answers into per-(alias, version)
/// sums, the served answers into counts and latencies (kept to take percentiles). Memory grows with the window's
/// answers as one double each, never with their JSON.
/// </summary>
internal sealed class OnlineMetrics(IFeedbackStore store, TimeProvider time) : IOnlineMetrics
{
    public async Task<OnlineReport> ComputeAsync(string model, DateTimeOffset since, CancellationToken ct)
    {
        var until = time.GetUtcNow();
        await store.MatchWaitingAsync(model, ct);
        var groups = new Dictionary<(string Alias, int Version), Group>();
        await foreach (var served in store.ReadServedAsync(model, since, ct))
        {
            var group = GroupOf(groups, served.Alias, served.Version);
            group.Shadow |= served.Shadow;
            group.Latencies.Add(served.LatencyMilliseconds);
        }

        await foreach (var labelled in store.ReadLabelledAsync(model, since, ct))
        {
            var group = GroupOf(groups, labelled.Alias, labelled.Version);
            if (LabelScore.Compare(labelled.PredictionJson, labelled.Label) is not { } compared)
            {
                group.Unusable++;
                continue;
            }

            group.Task ??= compared.Task;
            group.Labelled++;
            group.Sum += compared.Task == LabelScore.Regression ? Math.Abs(compared.Value) : compared.Value;
            group.SumOfSquares += compared.Value * compared.Value;
        }

        var requests = groups.Values.Where(g => !g.Shadow).Sum(g => (long)g.Latencies.Count);
        var versions = groups
            .Select(g => g.Value.ToVersion(g.Key.Alias, g.Key.Version, requests))
            .OrderBy(v => v.Alias == PredictionRecord.DefaultAlias ? 0 : 1)
            .ThenBy(v => v.Alias, StringComparer.Ordinal)
            .ThenBy(v => v.Version)
            .ToList();
        return new OnlineReport(model, since, until, requests, await store.CountWaitingAsync(model, ct), versions);
    }

    private static Group GroupOf(Dictionary<(string, int), Group> groups, string alias, int version)
    {
        if (!groups.TryGetValue((alias, version), out var group))
        {
            groups[(alias, version)] = group = new Group();
        }

        return group;
    }

    private sealed class Group
    {
        public List<double> Latencies { get; } = [];

        public bool Shadow { get; set; }

        public string? Task { get; set; }

        public long Labelled { get; set; }

        public long Unusable { get; set; }

        public double Sum { get; set; }

        public double SumOfSquares { get; set; }

        public OnlineVersion ToVersion(string alias, int version, long requests)
        {
            Latencies.Sort();
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (Labelled > 0)
            {
                switch (Task)
                {
                    case LabelScore.Regression:
                        metrics["rmse"] = Math.Sqrt(SumOfSquares / Labelled);
                        metrics["mae"] = Sum / Labelled;
                        break;
                    case LabelScore.Binary:
                        metrics["accuracy"] = Sum / Labelled;
                        break;
                    default:
                        metrics["micro_accuracy"] = Sum / Labelled;
                        break;
                }
            }

            return new OnlineVersion(
                alias, version, Shadow, Latencies.Count, requests == 0 ? 0 : (double)Latencies.Count / requests, Labelled, Unusable, metrics,
                Percentile(0.50), Percentile(0.99));
        }

        /// <summary>Nearest rank: the smallest latency at least <paramref name="p"/> of the answers are at or under.</summary>
        private double? Percentile(double p) =>
            Latencies.Count == 0 ? null : Latencies[Math.Clamp((int)Math.Ceiling(p * Latencies.Count) - 1, 0, Latencies.Count - 1)];
    }
}
