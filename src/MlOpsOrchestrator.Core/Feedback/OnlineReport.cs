namespace MlOpsOrchestrator.Feedback;

/// <summary>The online metrics of one model over one window: what <c>GET /api/models/{name}/online</c> and <c>mlops online</c> show.</summary>
/// <param name="Model">The model.</param>
/// <param name="Since">The window's start (inclusive), UTC.</param>
/// <param name="Until">When it was computed, UTC.</param>
/// <param name="Requests">Requests answered in the window (shadow answers not counted).</param>
/// <param name="WaitingLabels">Labels stored whose prediction is not in the log yet (at any time, not only this window).</param>
/// <param name="Versions">Per alias and version, production first, then by alias and version.</param>
public sealed record OnlineReport(
    string Model,
    DateTimeOffset Since,
    DateTimeOffset Until,
    long Requests,
    int WaitingLabels,
    IReadOnlyList<OnlineVersion> Versions)
{
    /// <summary>The answers of <paramref name="alias"/> at <paramref name="version"/>, or null when none is in the window.</summary>
    public OnlineVersion? Find(string alias, int version) => Versions.FirstOrDefault(v => v.Alias == alias && v.Version == version);
}
