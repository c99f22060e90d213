using System.Diagnostics;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Planning;
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
            // The schedules are independent (each its own home), so they run side by side, up to one per core.
            var synchronized = TextWriter.Synchronized(log);
            var tracks = new List<Func<Task<ReplayTrackResult>>>
            {
                () => new ReplayTrack("policy", setup, setup.Definition, ReplayFires.Policy(spec, cron, setup.From, setup.To), synchronized, compareReferences: true).RunAsync(ct),
            };
            var baselineDefinition = ReplayFires.BaselineDefinition(setup.Definition);
            var baselineYaml = ReplayFires.BaselineYaml(setup.Yaml, baselineDefinition);
            tracks.AddRange(baselines.Select(b => (Func<Task<ReplayTrackResult>>)(() =>
                new ReplayTrack(b.Name, setup, baselineDefinition, ReplayFires.Baseline(spec, cron, b.Cron, setup.From, setup.To), synchronized, yaml: baselineYaml).RunAsync(ct))));
            var finished = await RunSideBySideAsync(tracks, Math.Max(1, Environment.ProcessorCount), ct);
            foreach (var track in finished)
            {
                await synchronized.WriteLineAsync($"{track.Name}: {track.Runs} runs ({track.NoOpFires} fires with no new rows), {track.Deploys} deploys, {track.TrainSeconds:0.0}s in steps ({StepTimes(track)}), {track.WallSeconds:0.0}s in all");
            }

            var (policy, results) = (finished[0], finished.Skip(1).ToList());
            return (Report(setup, policy, results, wall.Elapsed.TotalSeconds), policy, results);
        }
        finally
        {
            ReplayHome.Delete(setup.Scratch);
        }
    }

    /// <summary>Runs the tracks at most <paramref name="parallel"/> at a time; the results in the order given.</summary>
    private static async Task<ReplayTrackResult[]> RunSideBySideAsync(IReadOnlyList<Func<Task<ReplayTrackResult>>> tracks, int parallel, CancellationToken ct)
    {
        using var slots = new SemaphoreSlim(parallel);
        return await Task.WhenAll(tracks.Select(async track =>
        {
            await slots.WaitAsync(ct);
            try
            {
                return await Task.Run(track, ct);
            }
            finally
            {
                slots.Release();
            }
        }));
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
                StepSeconds = StepSeconds(policy),
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
                StepSeconds = StepSeconds(b),
            })],
            MonitorReferences = policy.References,
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

    private static Dictionary<string, double> StepSeconds(ReplayTrackResult track) =>
        track.StepTimes.ToDictionary(s => PlanBuilder.KindName(s.Kind), s => Math.Round(s.Elapsed.TotalSeconds, 3), StringComparer.Ordinal);

    private static string StepTimes(ReplayTrackResult track) =>
        string.Join(", ", track.StepTimes.Select(s => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{PlanBuilder.KindName(s.Kind)} {s.Elapsed.TotalSeconds:0.0}s")));

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
