using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Notifications;

/// <summary>
/// One decision worth telling people about, as the run executor saw it: which pipeline and run, what happened and,
/// for a step's decision, which step. <see cref="Text"/> is the sentence a chat message shows; every field passed
/// the run's secret redactor before the notification was made.
/// </summary>
public sealed record Notification
{
    public required NotifyEvent Event { get; init; }
    public required string Pipeline { get; init; }
    public required string RunId { get; init; }
    public required string Trigger { get; init; }
    public string? StepId { get; init; }

    /// <summary>What happened, in one sentence (without the link to the run, which the sender adds when it knows the dashboard's address).</summary>
    public required string Text { get; init; }

    /// <summary>The model version the event is about (deployed, or the candidate rejected); null when none.</summary>
    public string? Model { get; init; }

    public required DateTimeOffset At { get; init; }
}
