namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// What the API needs to know about the host it is mounted in. The host fills it from its own settings, so the API
/// depends on nothing of the host that composes it.
/// </summary>
/// <param name="Urls">Where the host listens; their host names are accepted in the Host header.</param>
/// <param name="AllowedHosts">Further host names accepted in the Host header (<c>*</c> accepts any).</param>
/// <param name="EmbeddedStorage">Whether the runs live in the embedded database rather than PostgreSQL (reported by <c>/health</c>).</param>
/// <param name="DashboardPath">Where the dashboard is mounted; its polling is logged at Debug.</param>
internal sealed record ApiSettings(IReadOnlyList<string> Urls, IReadOnlyList<string> AllowedHosts, bool EmbeddedStorage, string DashboardPath);
