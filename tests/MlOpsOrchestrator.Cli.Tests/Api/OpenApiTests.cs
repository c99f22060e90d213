using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// <c>GET /openapi/v1.json</c> describes exactly the routes the host maps: every mapped route and method is in the
/// document, and the document has no route the host does not map, so the two cannot drift apart.
/// </summary>
public sealed class OpenApiTests
{
    /// <summary>Routes that are not the JSON API: the document itself, and Prometheus's text scrape.</summary>
    private static readonly string[] NotTheApi = ["/openapi/{documentName}.json", "/metrics"];

    [Test]
    public async Task Document_ListsEveryMappedRoute_AndNothingElse()
    {
        var (status, document) = await Serve.GetAsync("/openapi/v1.json");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), document?.ToJsonString());

        var documented = document!["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => $"{operation.Key.ToUpperInvariant()} {path.Key}"))
            .ToHashSet(StringComparer.Ordinal);
        var mapped = Serve.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => ("/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .Where(e => !NotTheApi.Contains(e.Item1))
            .SelectMany(e => e.Item2.Select(method => $"{method} {e.Item1}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(mapped, Does.Contain("POST /api/runs/{id}/cancel").And.Contain("POST /api/pipelines/{name}/runs"), "the host maps the API");
            Assert.That(mapped.Except(documented), Is.Empty, "mapped but not in the document");
            Assert.That(documented.Except(mapped), Is.Empty, "in the document but not mapped");
        });
    }

    [Test]
    public async Task Document_FromAnotherMachine_NeedsAToken()
    {
        var (anonymous, _) = await Serve.GetAsync("/openapi/v1.json", remote: true);
        var (viewer, _) = await Serve.GetAsync("/openapi/v1.json", remoteToken: Hosting.ServeHarness.ViewerToken);
        Assert.That((anonymous, viewer), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.OK)));
    }
}
