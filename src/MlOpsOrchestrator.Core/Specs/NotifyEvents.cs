namespace MlOpsOrchestrator.Specs;

/// <summary>The words of <see cref="NotifyEvent"/> as YAML, environment variables and webhook bodies write them.</summary>
public static class NotifyEvents
{
    /// <summary>Insertion order is the order messages list them in.</summary>
    public static readonly IReadOnlyDictionary<string, NotifyEvent> ByName = new Dictionary<string, NotifyEvent>
    {
        ["run_failed"] = NotifyEvent.RunFailed, ["gate_failed"] = NotifyEvent.GateFailed, ["drift_found"] = NotifyEvent.DriftFound,
        ["waiting_for_approval"] = NotifyEvent.WaitingForApproval, ["model_deployed"] = NotifyEvent.ModelDeployed,
        ["skew_found"] = NotifyEvent.SkewFound,
    };

    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys];

    public static NotifyEvent? Parse(string name) => ByName.TryGetValue(name, out var e) ? e : null;

    public static string NameOf(NotifyEvent e) => ByName.First(p => p.Value == e).Key;
}
