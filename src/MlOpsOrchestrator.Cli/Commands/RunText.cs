using System.Globalization;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>How a run reads in a terminal: the summary <c>mlops run</c> ends with and <c>mlops show</c> prints.</summary>
internal static class RunText
{
    public static void Write(TextWriter output, RunView run, bool details)
    {
        var duration = run.Duration is { } d ? $" in {d.ToString("0.0", CultureInfo.InvariantCulture)}s" : "";
        output.WriteLine($"run {run.RunId}  {run.Status}{duration}");
        output.WriteLine($"pipeline {run.Pipeline} (version {run.PipelineVersion[..Math.Min(12, run.PipelineVersion.Length)]}), trigger {run.Trigger}, mode {run.Mode}, level {run.Level} ({MaturityAssessment.Names[run.Level]})");
        if (run.Parameters.Count > 0)
        {
            output.WriteLine($"parameters: {string.Join(", ", run.Parameters.Select(p => $"{p.Key}={p.Value}"))}");
        }

        if (details)
        {
            foreach (var reason in run.LevelReasons)
            {
                output.WriteLine($"  ✗ {reason}");
            }
        }

        if (run.Steps is { Count: > 0 } steps)
        {
            var width = steps.Max(s => s.Id.Length);
            output.WriteLine("steps:");
            foreach (var step in steps)
            {
                var took = step.StartedAt is { } s && step.FinishedAt is { } f ? $"{(f - s).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s" : "";
                var metrics = string.Join(" ", step.Metrics.Select(m => $"{m.Key}={m.Value.ToString("0.####", CultureInfo.InvariantCulture)}"));
                output.WriteLine($"  {step.Id.PadRight(width)}  {step.Kind,-9}  {step.Status,-17}  {took,6}  {metrics}");
                if (step.Error is not null)
                {
                    foreach (var line in step.Error.Split('\n'))
                    {
                        output.WriteLine($"      {line}");
                    }
                }

                if (step.Result?.Note is { } note)
                {
                    output.WriteLine($"      note: {note}");
                }

                if (step.Result is PrepResult { Watermark: { } watermark })
                {
                    output.WriteLine($"      watermark: {StepOutputs.Instant(watermark)} (newest timestamp consumed; the next incremental run reads only newer rows)");
                }

                if (details && step.DecidedBy is not null)
                {
                    output.WriteLine($"      decided by {step.DecidedBy}{(step.Reason is null ? "" : $": {step.Reason}")}");
                }
            }
        }

        if (run.Model is not null)
        {
            output.WriteLine($"model {run.Model.Name} version {run.Model.Version}");
        }

        if (run.Error is not null && run.Status != "awaiting_approval")
        {
            output.WriteLine($"error: {run.Error}");
        }

        var waiting = run.Steps?.Where(s => s.Status == "awaiting_approval").ToList() ?? [];
        foreach (var step in waiting)
        {
            output.WriteLine($"waiting for approval: mlops approve {run.RunId} {step.Id}   (or: mlops reject {run.RunId} {step.Id} --reason TEXT)");
        }

        if (run.Status == "interrupted")
        {
            output.WriteLine($"the process running it stopped; continue with: mlops resume {run.RunId}");
        }
    }

    public static int ExitCode(string status) => status switch
    {
        "succeeded" => ExitCodes.Success,
        "awaiting_approval" => ExitCodes.AwaitingApproval,
        _ => ExitCodes.WorkFailed,
    };
}
