using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// The one way a front end (the CLI, the API, the dashboard) starts a run or decides on one. Each call checks the
/// request (a known run, a step that is waiting, a reason for a rejection, a trigger the pipeline has), records it,
/// and hands the run to the <see cref="IRunDispatcher"/>: a Hangfire job under <c>serve</c> and <c>worker</c>, this
/// process for a one-shot command. A request that cannot be honoured throws <see cref="RunControlException"/>.
/// Who asked is passed in by the front end, which has established it (the OS user, the API's or dashboard's caller).
/// </summary>
public interface IRunService
{
    /// <summary>
    /// Starts a run under the pipeline's concurrency policy (see <see cref="RunStarter"/>). The definition and the YAML
    /// in <paramref name="request"/> are what is stored and what runs. Refused with an invalid
    /// <see cref="RunControlException"/> (naming the <see cref="RunControlException.Parameter"/>) for a trigger the
    /// pipeline does not have, a parameter name that is not a name, or a parameter value that is not text of at most
    /// <see cref="Security.InputText.MaxParameterValueLength"/> characters; nothing is stored then.
    /// </summary>
    Task<StartResult> StartAsync(RunRequest request, string by, CancellationToken ct);

    /// <summary>Approves a step awaiting approval and queues the run's continuation.</summary>
    Task<RunRecord> ApproveAsync(string runId, string stepId, string by, CancellationToken ct);

    /// <summary>
    /// Rejects a step awaiting approval; the reason (trimmed) is required and at most
    /// <see cref="Security.InputText.MaxReasonLength"/> characters. The run's continuation ends it as cancelled.
    /// </summary>
    Task<RunRecord> RejectAsync(string runId, string stepId, string by, string? reason, CancellationToken ct);

    /// <summary>Makes an interrupted or failed run runnable again after its last finished step, and queues it.</summary>
    Task<RunRecord> ResumeAsync(string runId, string by, CancellationToken ct);

    /// <summary>
    /// Cancels a running or waiting run (pending, queued, awaiting approval, interrupted); see
    /// <see cref="RunControl.CancelAsync"/>. The reason is optional, at most <see cref="Security.InputText.MaxReasonLength"/>
    /// characters. A run that has ended is refused (a conflict).
    /// </summary>
    Task<RunRecord> CancelAsync(string runId, string by, string? reason, CancellationToken ct);

    /// <summary>
    /// Retries a failed or cancelled run as a new run linked to it, from its failed step on (see
    /// <see cref="RunControl.PrepareRetryAsync"/>), and queues the new run, which is returned.
    /// </summary>
    Task<RunRecord> RetryAsync(string runId, string by, CancellationToken ct);

    /// <summary>The service over the stores and the dispatcher a host composes.</summary>
    static IRunService Create(RunStarter starter, RunControl control, IRunDispatcher dispatcher, ILogger<IRunService> logger) =>
        new RunService(starter, control, dispatcher, logger);
}
