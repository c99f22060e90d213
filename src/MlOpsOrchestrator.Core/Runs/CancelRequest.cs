namespace MlOpsOrchestrator.Runs;

/// <summary>Who asked to cancel a run, why (optional) and when.</summary>
public sealed record CancelRequest(string By, string? Reason, DateTimeOffset At)
{
    /// <summary>What a cancelled run and its stopped steps record as their error: <c>cancelled by alice: wrong data</c>.</summary>
    public string Describe() => Reason is null ? $"cancelled by {By}" : $"cancelled by {By}: {Reason}";
}
