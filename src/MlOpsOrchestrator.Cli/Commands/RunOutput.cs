using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// Executes a run the run service dispatched to this process, with live progress on stderr, then prints it and maps
/// its status to the exit code; then the runs its steps started.
/// </summary>
internal static class RunOutput
{
    public static async Task<int> ExecuteAndReportAsync(CliContext context, MlOpsRuntime runtime, string runId, bool json, CancellationToken ct)
    {
        var progress = new SynchronousProgress(p => context.Error.WriteLine($"[{p.StepId}] {p.Message}"));
        var current = runId;
        try
        {
            await ExecuteInTurnAsync(context, runtime, runId, progress, ct);
            var code = await ReportAsync(context, runtime, runId, json, details: false, ct);
            while (runtime.Dispatcher.TryTake(out var started))
            {
                if (started == runId)
                {
                    continue; // the command's own run, dispatched here by the run service and executed above
                }

                // A retrain step started another run of the pipeline: there is no shared queue here, so run it now.
                current = started;
                await context.Error.WriteLineAsync($"run {started} was started by run {runId}; executing it now");
                await ExecuteInTurnAsync(context, runtime, started, progress, ct);
                await ReportAsync(context, runtime, started, json: false, details: false, ct, context.Error);
            }

            return code;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"interrupted: run {current} stopped; continue it with: mlops resume {current}");
            return ExitCodes.WorkFailed;
        }
    }

    /// <summary>
    /// Executes the run; under <c>concurrency: queue</c>, once an older run of the pipeline (say, one <c>serve</c> is
    /// executing) has finished: says once what it waits for, then tries again every second until Ctrl+C.
    /// </summary>
    private static async Task ExecuteInTurnAsync(CliContext context, MlOpsRuntime runtime, string runId, IProgress<RunProgress> progress, CancellationToken ct)
    {
        var said = false;
        while (RunExecutor.IsWaitingInQueue(await runtime.Executor.ExecuteAsync(runId, progress, ct)))
        {
            if (!said)
            {
                var run = await runtime.Storage.Runs.GetAsync(runId, ct);
                await context.Error.WriteLineAsync($"run {runId} is {run?.Error ?? "waiting for an older run of the pipeline"}; trying again every second (Ctrl+C stops waiting)");
                said = true;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    public static async Task<int> ReportAsync(CliContext context, MlOpsRuntime runtime, string runId, bool json, bool details, CancellationToken ct, TextWriter? output = null)
    {
        output ??= context.Out;
        var run = await runtime.Storage.Runs.GetAsync(runId, ct);
        if (run is null)
        {
            await context.Error.WriteLineAsync($"error: unknown run '{runId}'; 'mlops runs' lists the runs");
            return ExitCodes.BadInput;
        }

        var view = RunView.From(run, await runtime.Storage.Runs.GetStepsAsync(runId, ct), context.Time.GetUtcNow());
        if (json)
        {
            CliJson.Write(output, view);
        }
        else
        {
            RunText.Write(output, view, details);
        }

        return RunText.ExitCode(view.Status);
    }

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        private readonly Lock _gate = new();

        public void Report(RunProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
