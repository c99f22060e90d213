namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// <c>GET /health</c>: <c>status</c> is <c>ok</c> when the process can serve (HTTP 200) and <c>unavailable</c> when its
/// storage does not answer (HTTP 503); <c>storage</c> is <c>ok</c> or <c>unreachable</c>.
/// </summary>
internal sealed record HealthView(string Status, string Storage, string StorageMode, int Pipelines, DateTimeOffset At);
