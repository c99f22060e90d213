using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// What every request to <c>serve</c> passes first (the API, <c>/health</c>, the dashboard), so that no web page of
/// another origin can use the operator's browser, whose requests come from loopback and need no token:
/// a Host this server was not configured with is 400 (<see cref="AllowedHosts"/>: DNS rebinding), a request that
/// changes state from another origin is 403 unless it has the token (<see cref="AccessPolicy.CrossOrigin"/>), and
/// the API reads bodies only as <c>application/json</c>, which no page of another origin can send without this
/// server's consent (415 otherwise).
/// </summary>
internal sealed class RequestGuardMiddleware(RequestDelegate next, AccessPolicy policy, AllowedHosts hosts)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!hosts.Allows(request.Host))
        {
            await ApiJson.Error(StatusCodes.Status400BadRequest,
                    $"this server does not answer to the host name '{Shorten(request.Host.Host)}' (it answers to {hosts.Describe()}); "
                    + $"to reach it under that name, add it to {AllowedHosts.Variable} (names separated by ';') and restart serve")
                .ExecuteAsync(context);
            return;
        }

        var headers = request.Headers;
        if (policy.CrossOrigin(request.Method, request.Host.Value ?? "", headers.Origin, headers.Referer, headers["Sec-Fetch-Site"], headers.Authorization) is { } refusal)
        {
            await ApiJson.Error(StatusCodes.Status403Forbidden, refusal).ExecuteAsync(context);
            return;
        }

        if (IsApi(request) && !IsReading(request.Method) && NotJson(request) is { } sent)
        {
            await ApiJson.Error(StatusCodes.Status415UnsupportedMediaType,
                    $"the API reads request bodies as JSON only, and this one was sent as {sent}: send it with 'Content-Type: application/json' (curl: --json '{{...}}', or -H 'Content-Type: application/json' -d '{{...}}')")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static bool IsReading(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>What the body was sent as when that is not JSON; null for JSON, and for no body without a content type.</summary>
    private static string? NotJson(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
            return hasBody ? "no Content-Type" : null;
        }

        return MediaTypeHeaderValue.TryParse(contentType, out var media)
               && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                   || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true)
            ? null
            : $"'{Shorten(contentType)}'";
    }

    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "...";
}
