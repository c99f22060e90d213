using System.Text.Json.Serialization;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>The body of every 4xx and 5xx answer of the API.</summary>
internal sealed record ApiError(
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Details = null);
