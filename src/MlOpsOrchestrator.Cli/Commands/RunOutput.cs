using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>Executes a run in this process with live progress on stderr, then prints it and maps its status to the exit code.</summary>
internal static class RunOutput
{
    public static async Task<int> ExecuteAndReportAsync(CliContext context, MlOpsRuntime runtime, string runId, bool json, CancellationToken ct)
    {
        var progress = new SynchronousProgress(p => context.Error.WriteLine($"[{p.StepId}] {p.Message}"));
        try
        {
            await runtime.Executor.ExecuteAsync(runId, progress, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"interrupted: run {runId} stopped; continue it with: mlops resume {runId}");
            return ExitCodes.WorkFailed;
        }

        return await ReportAsync(context, runtime, runId, json, details: false, ct);
    }

    public static async Task<int> ReportAsync(CliContext context, MlOpsRuntime runtime, string runId, bool json, bool details, CancellationToken ct)
    {
        var run = await runtime.Storage.Runs.GetAsync(runId, ct);
        if (run is null)
        {
            await context.Error.WriteLineAsync($"error: unknown run '{runId}'; 'mlops runs' lists the runs");
            return ExitCodes.BadInput;
        }

        var view = RunView.From(run, await runtime.Storage.Runs.GetStepsAsync(runId, ct), context.Time.GetUtcNow());
        if (json)
        {
            CliJson.Write(context.Out, view);
        }
        else
        {
            RunText.Write(context.Out, view, details);
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
