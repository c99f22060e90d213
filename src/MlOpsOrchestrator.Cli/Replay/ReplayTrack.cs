using System.Diagnostics;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Replay;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// Replays one schedule (the policy's triggers, or a baseline's) in its own home, prequentially: before each fire, the
/// rows that arrived since the previous one are scored by the version in production at that moment; then the fire
/// runs, seeing only rows at or before its time. A fire with no row newer than the last run of its trigger is a no-op.
/// </summary>
internal sealed class ReplayTrack(
    string name, ReplaySetup setup, PipelineDefinition definition, IReadOnlyList<ReplayFire> fires, TextWriter log, bool compareReferences = false, string? yaml = null)
{
    private readonly Dictionary<int, ReplayScorer> _scorers = [];
    private readonly List<(int Row, ScoredRow Scored)> _scored = [];
    private readonly List<(DateTimeOffset At, int Old, int New)> _moves = [];
    private readonly Dictionary<string, int> _rowsAtLastRun = new(StringComparer.Ordinal);
    private readonly HashSet<string> _driftTriggers = [.. definition.Spec.Triggers.Where(t => t.IsDrift).Select(t => t.Id)];
    private int _next;
    private int? _production;
    private int _unscored;
    private int _runs;
    private int _deploys;
    private int _retrains;
    private int _failed;
    private int _noOps;
    private string? _firstFailure;
    private ReplayReferences? _references;

    public async Task<ReplayTrackResult> RunAsync(CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var clock = new ReplayClock(setup.From);
        _references = compareReferences && ReplayReferences.Applies(definition) ? new ReplayReferences(definition, _driftTriggers) : null;
        var first = setup.Table.CountUntil(setup.From.UtcDateTime);
        _next = first;
        await using var home = await ReplayHome.OpenAsync(Path.Combine(setup.Scratch, Folder(name)), clock, setup.Definition.Spec.Data.Timestamp!, setup.DataRoot, setup.Snapshots, ct);
        foreach (var fire in fires)
        {
            ct.ThrowIfCancellationRequested();
            Score(fire.At);
            var rows = setup.Table.CountUntil(fire.At.UtcDateTime);
            if (!fire.First && _rowsAtLastRun.TryGetValue(fire.Trigger, out var before) && before == rows)
            {
                _noOps++;
                continue;
            }

            _rowsAtLastRun[fire.Trigger] = rows;
            clock.Set(fire.At);
            await FireAsync(home, fire, ct);
            await FollowProductionAsync(home, fire.At, ct);
        }

        Score(setup.To);
        var regressive = _moves.Count(m => IsRegressive(m.At, m.Old, m.New));
        return new ReplayTrackResult
        {
            Name = name,
            Scored = _scored,
            Unscored = _unscored,
            Runs = _runs,
            Retrains = _retrains,
            Deploys = _deploys,
            RegressiveDeploys = regressive,
            FailedRuns = _failed,
            FirstFailure = _firstFailure,
            NoOpFires = _noOps,
            References = _references?.Views(definition.Spec.Steps.OfType<MonitorStep>().FirstOrDefault()) ?? [],
            TrainSeconds = home.Compute.Total.TotalSeconds,
            StepTimes = home.Compute.ByKind,
            WallSeconds = wall.Elapsed.TotalSeconds,
        };
    }

    private async Task FireAsync(ReplayHome home, ReplayFire fire, CancellationToken ct)
    {
        var request = new RunRequest
        {
            Definition = definition,
            Yaml = yaml ?? setup.Yaml,
            Trigger = fire.Trigger,
            Mode = fire.Mode,
            IdempotencyKey = fire.First ? null : $"{definition.Name}|{fire.Trigger}|{fire.At.UtcDateTime:O}",
        };
        var started = await home.Starter.StartAsync(request, ct);
        if (started.Outcome != StartOutcome.Queued)
        {
            return;
        }

        while (home.Dispatcher.TryTake(out var runId))
        {
            var run = await home.Executor.ExecuteAsync(runId, null, ct);
            if (_references is not null)
            {
                await _references.CompareAsync(home, run, fire.At, ct);
            }

            _runs++;
            if (_driftTriggers.Contains(run.Trigger))
            {
                _retrains++;
            }

            if (run.Status == RunStatus.AwaitingApproval)
            {
                // A replay answers yes for the person who would approve: it shows what the policy does when deploys go ahead.
                foreach (var step in (await home.Storage.Runs.GetStepsAsync(runId, ct)).Where(s => s.Status == StepStatus.AwaitingApproval))
                {
                    await home.RunService.ApproveAsync(runId, step.StepId, "mlops replay", ct);
                }

                _runs--; // the continuation is the same run
                continue;
            }

            if (run.Status == RunStatus.Failed)
            {
                _failed++;
                if (_firstFailure is null)
                {
                    _firstFailure = $"run at {fire.At.UtcDateTime:yyyy-MM-dd HH:mm} ({run.Trigger}): {run.Error}";
                    await log.WriteLineAsync($"{name}: {_firstFailure}");
                }
            }
        }
    }

    private async Task FollowProductionAsync(ReplayHome home, DateTimeOffset at, CancellationToken ct)
    {
        var aliases = await home.Storage.Registry.GetAliasesAsync(setup.Model, ct);
        if (!aliases.TryGetValue(setup.Alias, out var version) || version == _production)
        {
            return;
        }

        _deploys++;
        if (_production is { } old)
        {
            _moves.Add((at, old, version));
        }

        _production = version;
        if (!_scorers.ContainsKey(version) && await home.Storage.Registry.GetAsync(setup.Model, version, ct) is { } registered)
        {
            try
            {
                _scorers[version] = ReplayScorer.Load(home.Storage.Artifacts, registered, setup.Table);
            }
            catch (InvalidDataException ex)
            {
                // As serving does: a version that cannot load scores nothing; its rows are counted as not scored.
                await log.WriteLineAsync($"{name}: version {version} cannot be loaded for scoring: {ex.Message}");
            }
        }
    }

    /// <summary>Scores the rows up to <paramref name="until"/> not scored yet with the production version (predict, then learn).</summary>
    private void Score(DateTimeOffset until)
    {
        var end = setup.Table.CountUntil(until.UtcDateTime);
        var scorer = _production is { } version ? _scorers.GetValueOrDefault(version) : null;
        for (; _next < end; _next++)
        {
            if (scorer is not null && scorer.TryScore(setup.Table.Rows[_next], out var scored))
            {
                _scored.Add((_next, scored));
            }
            else
            {
                _unscored++;
            }
        }
    }

    /// <summary>
    /// True when the version deployed at <paramref name="at"/> scores worse than the one it replaced on the next
    /// period's rows, both scored on the same rows.
    /// </summary>
    private bool IsRegressive(DateTimeOffset at, int old, int @new)
    {
        if (!_scorers.TryGetValue(old, out var before) || !_scorers.TryGetValue(@new, out var after))
        {
            return false;
        }

        var end = at + setup.Period.Length < setup.To ? at + setup.Period.Length : setup.To;
        var (oldRows, newRows) = (new List<ScoredRow>(), new List<ScoredRow>());
        for (var row = setup.Table.CountUntil(at.UtcDateTime); row < setup.Table.CountUntil(end.UtcDateTime); row++)
        {
            if (before.TryScore(setup.Table.Rows[row], out var a) && after.TryScore(setup.Table.Rows[row], out var b))
            {
                oldRows.Add(a);
                newRows.Add(b);
            }
        }

        if (PrequentialMetric.Compute(setup.Metric, oldRows) is not { } oldValue || PrequentialMetric.Compute(setup.Metric, newRows) is not { } newValue)
        {
            return false;
        }

        return setup.HigherIsBetter ? newValue < oldValue : newValue > oldValue;
    }

    private static string Folder(string track) => new([.. track.Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
}
