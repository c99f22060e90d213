using System.Diagnostics;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Replay;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// Runs the policy and each baseline, one after the other, each in its own throwaway home under
/// <see cref="ReplaySetup.Scratch"/>, and puts the prequential results side by side. The scratch folder is deleted
/// however the replay ends (finished, failed, or stopped with Ctrl+C).
/// </summary>
internal static class ReplayRunner
{
    public static async Task<(ReplayReport Report, ReplayTrackResult Policy, IReadOnlyList<ReplayTrackResult> Baselines)> RunAsync(
        ReplaySetup setup, IReadOnlyList<ReplayBaseline> baselines, ICronEvaluator cron, TextWriter log, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        Directory.CreateDirectory(setup.Scratch);
        try
        {
            var spec = setup.Definition.Spec;
            await log.WriteLineAsync($"replaying {spec.Name} from {Iso(setup.From)} to {Iso(setup.To)} in {setup.Scratch} (deleted at the end)");
            var policyFires = ReplayFires.Policy(spec, cron, setup.From, setup.To);
            var policy = await new ReplayTrack("policy", setup, setup.Definition, policyFires, log).RunAsync(ct);
            await log.WriteLineAsync($"policy: {policy.Runs} runs ({policy.NoOpFires} fires with no new rows), {policy.Deploys} deploys, {policy.TrainSeconds:0.0}s in steps");
            var baselineDefinition = ReplayFires.BaselineDefinition(setup.Definition);
            var results = new List<ReplayTrackResult>();
            foreach (var baseline in baselines)
            {
                var fires = ReplayFires.Baseline(spec, cron, baseline.Cron, setup.From, setup.To);
                var result = await new ReplayTrack(baseline.Name, setup, baselineDefinition, fires, log).RunAsync(ct);
                await log.WriteLineAsync($"{baseline.Name}: {result.Runs} runs, {result.Deploys} deploys, {result.TrainSeconds:0.0}s in steps");
                results.Add(result);
            }

            return (Report(setup, policy, results, wall.Elapsed.TotalSeconds), policy, results);
        }
        finally
        {
            ReplayHome.Delete(setup.Scratch);
        }
    }

    private static ReplayReport Report(ReplaySetup setup, ReplayTrackResult policy, IReadOnlyList<ReplayTrackResult> baselines, double elapsed)
    {
        var rows = setup.Table.CountUntil(setup.To.UtcDateTime) - setup.Table.CountUntil(setup.From.UtcDateTime);
        var periods = new SortedSet<DateTime>();
        foreach (var track in baselines.Prepend(policy))
        {
            periods.UnionWith(track.Scored.Select(s => setup.Period.Start(setup.Table.Ticks[s.Row])));
        }

        var policyByPeriod = ByPeriod(setup, policy);
        var baselinesByPeriod = baselines.Select(b => (b.Name, Values: ByPeriod(setup, b))).ToList();
        return new ReplayReport
        {
            Pipeline = setup.Definition.Name,
            From = setup.From,
            To = setup.To,
            Metric = setup.Metric,
            Period = setup.Period.Name,
            Rows = rows,
            ElapsedSeconds = Math.Round(elapsed, 3),
            Policy = new ReplayPolicyView
            {
                Value = Value(setup, policy),
                Runs = policy.Runs,
                Deploys = policy.Deploys,
                RegressiveDeploys = policy.RegressiveDeploys,
                TrainSeconds = Math.Round(policy.TrainSeconds, 3),
                Retrains = policy.Retrains,
                FailedRuns = policy.FailedRuns,
                NoOpFires = policy.NoOpFires,
                ScoredRows = policy.Scored.Count,
                UnscoredRows = policy.Unscored,
                WallSeconds = Math.Round(policy.WallSeconds, 3),
            },
            Baselines = [.. baselines.Select(b => new ReplayBaselineView
            {
                Name = b.Name,
                Value = Value(setup, b),
                Runs = b.Runs,
                TrainSeconds = Math.Round(b.TrainSeconds, 3),
                Deploys = b.Deploys,
                RegressiveDeploys = b.RegressiveDeploys,
                FailedRuns = b.FailedRuns,
                NoOpFires = b.NoOpFires,
                ScoredRows = b.Scored.Count,
                UnscoredRows = b.Unscored,
                WallSeconds = Math.Round(b.WallSeconds, 3),
            })],
            Periods = [.. periods.Select(start => new ReplayPeriodView
            {
                Start = new DateTimeOffset(start, TimeSpan.Zero),
                Policy = policyByPeriod.GetValueOrDefault(start),
                Baselines = baselinesByPeriod.ToDictionary(b => b.Name, b => b.Values.GetValueOrDefault(start), StringComparer.Ordinal),
            })],
        };
    }

    private static double? Value(ReplaySetup setup, ReplayTrackResult track) =>
        PrequentialMetric.Compute(setup.Metric, [.. track.Scored.Select(s => s.Scored)]);

    private static Dictionary<DateTime, double?> ByPeriod(ReplaySetup setup, ReplayTrackResult track) =>
        track.Scored.GroupBy(s => setup.Period.Start(setup.Table.Ticks[s.Row]))
            .ToDictionary(g => g.Key, g => PrequentialMetric.Compute(setup.Metric, [.. g.Select(s => s.Scored)]));

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
