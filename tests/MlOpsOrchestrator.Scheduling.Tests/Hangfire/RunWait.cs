using System.Diagnostics;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Hangfire;

/// <summary>Waits for a run to reach a state written by another thread or container (a Hangfire worker).</summary>
public static class RunWait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<RunRecord> UntilAsync(IRunRepository runs, string runId, Func<RunRecord, bool> done, TimeSpan? timeout = null, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        RunRecord? last = null;
        while (clock.Elapsed < (timeout ?? DefaultTimeout))
        {
            last = await runs.GetAsync(runId, CancellationToken.None);
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(25));
        }

        var steps = last is null ? [] : await runs.GetStepsAsync(runId, CancellationToken.None);
        Assert.Fail($"run {runId} did not reach the expected state in {clock.Elapsed.TotalSeconds:0.0} s; it is {(last is null ? "missing" : StatusNames.Of(last.Status))} ({last?.Error}); steps: "
                    + string.Join(", ", steps.Select(s => $"{s.StepId}={StatusNames.Of(s.Status)}{(s.Error is null ? "" : $" ({s.Error})")}")));
        throw new UnreachableException();
    }

    public static Task<RunRecord> StatusAsync(IRunRepository runs, string runId, RunStatus status, TimeSpan? timeout = null) =>
        UntilAsync(runs, runId, r => r.Status == status, timeout);
}
