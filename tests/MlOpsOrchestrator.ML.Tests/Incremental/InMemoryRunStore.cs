using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>The run store contract in memory, enough for the real run executor to walk whole runs in one process.</summary>
internal sealed class InMemoryRunStore : IRunStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RunRecord> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StepRecord>> _steps = new(StringComparer.Ordinal);

    public Task<(RunRecord Run, bool Created)> CreateAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken ct)
    {
        lock (_lock)
        {
            var existing = run.IdempotencyKey is null ? null : _runs.Values.FirstOrDefault(r => r.IdempotencyKey == run.IdempotencyKey);
            if (existing is not null)
            {
                return Task.FromResult((existing, false));
            }

            _runs[run.RunId] = run;
            _steps[run.RunId] = [.. steps];
            return Task.FromResult((run, true));
        }
    }

    public Task<RunRecord?> GetAsync(string runId, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult(_runs.GetValueOrDefault(runId));
        }
    }

    public Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StepRecord>>([.. _steps.GetValueOrDefault(runId) ?? []]);
        }
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(string? pipeline, int limit, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>(
                [.. _runs.Values.Where(r => pipeline is null || r.Pipeline == pipeline).OrderByDescending(r => r.CreatedAt).Take(limit)]);
        }
    }

    public Task<IReadOnlyList<RunRecord>> ListByStatusAsync(string pipeline, IReadOnlyCollection<RunStatus> statuses, CancellationToken ct)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>([.. _runs.Values.Where(r => r.Pipeline == pipeline && statuses.Contains(r.Status))]);
        }
    }

    public Task UpdateAsync(RunRecord run, CancellationToken ct)
    {
        lock (_lock)
        {
            _runs[run.RunId] = run;
            return Task.CompletedTask;
        }
    }

    public Task UpdateStepAsync(StepRecord step, CancellationToken ct)
    {
        lock (_lock)
        {
            var steps = _steps[step.RunId];
            steps[steps.FindIndex(s => s.StepId == step.StepId)] = step;
            return Task.CompletedTask;
        }
    }

    public Task<bool> TryClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct)
    {
        lock (_lock)
        {
            var run = _runs[runId];
            if (run.Owner is not null && run.Owner != owner && run.HeartbeatAt is { } beat && now - beat < staleAfter)
            {
                return Task.FromResult(false);
            }

            _runs[runId] = run with { Owner = owner, HeartbeatAt = now };
            return Task.FromResult(true);
        }
    }

    public Task<RunClaim> ClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var run))
            {
                return Task.FromResult(new RunClaim(null, false, []));
            }

            var live = run.Owner is not null && run.Owner != owner && run.HeartbeatAt is { } beat && now - beat < staleAfter;
            if (live || run.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled)
            {
                return Task.FromResult(new RunClaim(run, false, [.. _steps[runId]]));
            }

            run = run with { Owner = owner, HeartbeatAt = now, Status = RunStatus.Running, StartedAt = run.StartedAt ?? now, Error = null };
            _runs[runId] = run;
            return Task.FromResult(new RunClaim(run, true, [.. _steps[runId]]));
        }
    }

    public Task UpdateManyAsync(IReadOnlyList<StepRecord> steps, RunRecord? run, CancellationToken ct)
    {
        lock (_lock)
        {
            foreach (var step in steps)
            {
                var all = _steps[step.RunId];
                all[all.FindIndex(s => s.StepId == step.StepId)] = step;
            }

            if (run is not null)
            {
                _runs[run.RunId] = run;
            }

            return Task.CompletedTask;
        }
    }

    public Task<bool> HeartbeatAsync(string runId, string owner, DateTimeOffset now, CancellationToken ct)
    {
        lock (_lock)
        {
            var run = _runs[runId];
            if (run.Owner != owner)
            {
                return Task.FromResult(false);
            }

            _runs[runId] = run with { HeartbeatAt = now };
            return Task.FromResult(true);
        }
    }
}
