namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>A route the fuzzer targets: its template (<c>{param}</c> for a path value) and what accepting it would do.</summary>
internal sealed record FuzzRoute(HttpMethod Method, string Template, FuzzRouteKind Kind)
{
    public bool Dashboard => Template.StartsWith("/hangfire", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Template}";
}
