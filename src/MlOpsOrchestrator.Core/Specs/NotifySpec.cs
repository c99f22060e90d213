namespace MlOpsOrchestrator.Specs;

/// <summary>One webhook of <c>notify:</c>: where the events go and which events (all when <c>on</c> is left out).</summary>
public sealed record NotifySpec
{
    /// <summary>An absolute http or https URL (Slack and Teams incoming webhooks, any endpoint taking JSON).</summary>
    public required Uri Url { get; init; }

    public required IReadOnlyList<NotifyEvent> Events { get; init; }

    public SourceMark Mark { get; init; }

    /// <summary>Every event, the default of a webhook without <c>on:</c>.</summary>
    public static IReadOnlyList<NotifyEvent> AllEvents { get; } = Enum.GetValues<NotifyEvent>();

    public bool Wants(NotifyEvent e) => Events.Contains(e);
}
