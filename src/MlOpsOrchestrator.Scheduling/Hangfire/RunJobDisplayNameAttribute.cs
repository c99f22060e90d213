using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Scheduling.Hangfire;

/// <summary>
/// Names a <see cref="RunJob"/> on the stock dashboard by its run (<c>churn-20261128-143012-7f3a</c> already carries
/// the pipeline) plus the trigger and maturity level, looked up from the run store: job arguments are ids only.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RunJobDisplayNameAttribute() : JobDisplayNameAttribute("run {0}")
{
    private const int CacheLimit = 10_000;

    /// <summary>Trigger and level never change after launch, so a looked-up name stays right.</summary>
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    public override string Format(DashboardContext context, Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Args.Count == 0 || job.Args[0] is not string runId)
        {
            return base.Format(context, job);
        }

        if (Names.TryGetValue(runId, out var name))
        {
            return name;
        }

        if (context is not AspNetCoreDashboardContext aspNet || aspNet.HttpContext.RequestServices.GetService<IRunRepository>() is not { } runs)
        {
            return $"run {runId}";
        }

        // Hangfire asks for display names synchronously while it renders a page; the lookup is one indexed read.
        var run = runs.GetAsync(runId, aspNet.HttpContext.RequestAborted).GetAwaiter().GetResult();
        if (run is null)
        {
            return $"run {runId} (unknown run)";
        }

        var level = run.Level >= 0 && run.Level < MaturityAssessment.Names.Count ? $"level {run.Level} ({MaturityAssessment.Names[run.Level]})" : $"level {run.Level}";
        name = $"run {runId} · trigger {run.Trigger} · {level}";
        if (Names.Count >= CacheLimit)
        {
            Names.Clear();
        }

        Names[runId] = name;
        return name;
    }
}
