using System.Diagnostics;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using MlOpsOrchestrator.Telemetry;

namespace MlOpsOrchestrator.Scheduling.Hangfire;

/// <summary>
/// Carries a run's trace across processes: when a <see cref="RunJob"/> is created, the current span's W3C
/// <c>traceparent</c> (a cron fire's, an API request's, a retrain step's) is stored as a job parameter, in the same
/// write as the job; when a worker (any process) performs it, a job span continues that trace, and the run's span and
/// its steps' spans are its children. So a fire in one <c>serve</c> and the run it started in some <c>worker</c> are
/// one trace.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RunTraceAttribute : JobFilterAttribute, IClientFilter, IServerFilter
{
    /// <summary>The job parameter holding the W3C <c>traceparent</c> header value.</summary>
    public const string Parameter = "traceparent";

    private const string ActivityItem = "mlops.activity";

    public void OnCreating(CreatingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            context.SetJobParameter(Parameter, id);
        }
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parent = context.GetJobParameter<string>(Parameter, allowStale: true);
        var linked = ActivityContext.TryParse(parent, null, out var parentContext);
        var runId = context.BackgroundJob.Job.Args.Count > 0 ? context.BackgroundJob.Job.Args[0] as string : null;
        var activity = MlOpsTelemetry.Source.StartActivity("job " + (runId ?? context.BackgroundJob.Id), ActivityKind.Consumer, linked ? parentContext : default);
        activity?.SetTag("mlops.run_id", runId);
        activity?.SetTag("hangfire.job_id", context.BackgroundJob.Id);
        if (activity is not null)
        {
            // Set synchronously here, Activity.Current stays set while Hangfire performs the job on this thread.
            context.Items[ActivityItem] = activity;
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ActivityItem, out var item) && item is Activity activity)
        {
            if (context.Exception is { } exception && !context.ExceptionHandled)
            {
                activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            }

            activity.Dispose();
        }
    }
}
