using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Refuses, before any endpoint runs, a route value or query string value that is not one line of text
/// (<see cref="InputText"/>): a NUL in <c>?pipeline=</c> would otherwise reach PostgreSQL as an error of the server.
/// JSON bodies get the same check from <see cref="ApiBody"/>.
/// </summary>
internal sealed class ApiInputFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return Problem(context.HttpContext.Request) is { } problem ? ApiJson.BadRequest(problem) : await next(context);
    }

    private static string? Problem(HttpRequest request)
    {
        foreach (var (key, value) in request.RouteValues)
        {
            if (value is string text && InputText.LineProblem(text, decoded: true) is { } problem)
            {
                return $"'{key}' in the path {problem}";
            }
        }

        foreach (var (key, values) in request.Query)
        {
            if (InputText.LineProblem(key, InputText.MaxNameLength, decoded: true) is { } keyProblem)
            {
                return $"a query string parameter's name {keyProblem}";
            }

            foreach (var value in values)
            {
                if (value is not null && InputText.LineProblem(value, decoded: true) is { } problem)
                {
                    return $"'{key}' in the query string {problem}";
                }
            }
        }

        return null;
    }
}
