namespace MlOpsOrchestrator.Runs;

/// <summary>
/// The idempotency key a <c>retrain</c> step gives the run it starts (<c>pipeline|trigger|retrain-of|run id</c>): one
/// run per firing run, and how a started run names the run that started it.
/// </summary>
public static class RetrainKey
{
    private const string Marker = "|retrain-of|";

    public static string Of(string pipeline, string trigger, string firingRunId) => $"{pipeline}|{trigger}{Marker}{firingRunId}";

    /// <summary>The run whose retrain step started <paramref name="run"/>; null for a run nothing started.</summary>
    public static string? StartedBy(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var key = run.IdempotencyKey;
        var at = key?.LastIndexOf(Marker, StringComparison.Ordinal) ?? -1;
        return at < 0 ? null : key![(at + Marker.Length)..] is { Length: > 0 } id ? id : null;
    }
}
