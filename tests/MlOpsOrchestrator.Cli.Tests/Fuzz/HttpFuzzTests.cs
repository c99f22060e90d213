using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>
/// Every HTTP route of <c>serve</c> (the API's endpoints as the host lists them, the dashboard's pages and forms, and
/// predict) gets a few thousand generated malformed requests from a fixed seed. No answer may be a server error, no
/// request that would write may be accepted, the host stays healthy and nothing is written. A failure prints each
/// request that caused it with the seed and index that reproduce it (<c>MLOPS_FUZZ_SEED</c> runs another seed).
/// </summary>
[TestFixture(FuzzStorage.Embedded)]
[TestFixture(FuzzStorage.PostgreSql)]
[NonParallelizable]
public sealed class HttpFuzzTests(FuzzStorage storage)
{
    private const int DefaultSeed = 20261207;
    private const int Requests = 3000;
    private const int MaxReported = 25;

    /// <summary>The dashboard's routes: the project's pages and forms, and Hangfire's own pages that take a value.</summary>
    private static readonly FuzzRoute[] DashboardRoutes =
    [
        new(HttpMethod.Get, "/hangfire", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/pipelines", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/runs", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/runs/{id}", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/runs/{id}/steps/{step}/approve", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/models", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/models/{name}", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Post, "/hangfire/runs/{id}/steps/{step}/approve", FuzzRouteKind.DashboardApprove),
        new(HttpMethod.Post, "/hangfire/runs/{id}/steps/{step}/reject", FuzzRouteKind.DashboardReject),
        new(HttpMethod.Post, "/hangfire/models/{name}/promote", FuzzRouteKind.DashboardPromote),
        new(HttpMethod.Post, "/hangfire/models/{name}/rollback", FuzzRouteKind.DashboardRollback),
        new(HttpMethod.Get, "/hangfire/jobs/details/{jobid}", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/jobs/enqueued/{queue}", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/jobs/succeeded", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/jobs/failed", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/recurring", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Get, "/hangfire/servers", FuzzRouteKind.DashboardPage),
        new(HttpMethod.Post, "/hangfire/stats", FuzzRouteKind.DashboardOtherPost),
    ];

    [Test]
    public async Task EveryRoute_MalformedInput_NoServerErrorNothingWritten()
    {
        var host = await FuzzHost.GetAsync(storage);
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MLOPS_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var chosen) ? chosen : DefaultSeed;
        var api = ApiRoutes(host);
        Assert.That(api.Select(r => r.Kind), Is.SupersetOf(new[] { FuzzRouteKind.Read, FuzzRouteKind.Predict, FuzzRouteKind.StartRun, FuzzRouteKind.Approve, FuzzRouteKind.Reject }),
            "the host lists the API's endpoints: " + string.Join(", ", api));
        var targets = new FuzzTargets(host.WaitingRunId, host.DeployedRunId, await host.AntiforgeryTokenAsync());
        var before = await host.SnapshotAsync();

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        foreach (var request in new RequestFuzzer(seed, [.. api, .. DashboardRoutes], targets).Generate(Requests))
        {
            var (status, text) = await SendAsync(host, request);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500 || (request.MustBeRefused && status < 400))
            {
                failures.Add($"{status} for {request.Describe(seed)}\n    answered: {Shorten(text)}");
            }
        }

        TestContext.Out.WriteLine($"{storage}, seed {seed}: {Requests} requests over {api.Count + DashboardRoutes.Length} routes; answers: {string.Join(", ", statuses.Select(s => $"{s.Key} x{s.Value}"))}");
        var (health, _) = await host.Serve.GetAsync("/health");
        var after = await host.SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty, $"{failures.Count} requests got a server error or were accepted though malformed:\n" + string.Join("\n", failures.Take(MaxReported)));
            Assert.That(health, Is.EqualTo(HttpStatusCode.OK), "serve is healthy after the fuzz");
            Assert.That(after, Is.EqualTo(before), "nothing written: the same runs with the same statuses, the same model versions and aliases");
        });
    }

    /// <summary>The API's routes as the host itself lists them, so a new endpoint is fuzzed without being added here.</summary>
    private static List<FuzzRoute> ApiRoutes(FuzzHost host)
    {
        var routes = new List<FuzzRoute>();
        foreach (var endpoint in host.Serve.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var kind = method != "POST" ? FuzzRouteKind.Read
                    : template.EndsWith("/predict", StringComparison.Ordinal) ? FuzzRouteKind.Predict
                    : template.EndsWith("/runs", StringComparison.Ordinal) ? FuzzRouteKind.StartRun
                    : template.EndsWith("/approve", StringComparison.Ordinal) ? FuzzRouteKind.Approve
                    : template.EndsWith("/reject", StringComparison.Ordinal) ? FuzzRouteKind.Reject
                    : FuzzRouteKind.OtherPost;
                routes.Add(new FuzzRoute(new HttpMethod(method), template, kind));
            }
        }

        return routes;
    }

    private static async Task<(int Status, string Text)> SendAsync(FuzzHost host, FuzzRequest request)
    {
        try
        {
            var (status, text) = await host.SendAsync(request.Method, request.Path, request.Body, request.ContentType, request.Browser);
            return ((int)status, text);
        }
        catch (HttpRequestException ex) when (request.Body is { Length: > LargeBody } && ex.InnerException is IOException)
        {
            // A request refused before its body was read (413 over the limit, or a 4xx on the path): Kestrel answers and
            // closes the connection while the client is still sending, so the client sees a broken pipe, not the answer.
            return (ClosedWhileSending, "(connection closed by the server while the body was being sent)");
        }
    }

    /// <summary>The bodies Kestrel may stop reading once it has answered (it drains a little, then closes).</summary>
    private const int LargeBody = 64 * 1024;

    /// <summary>Recorded for a refused large body whose answer the client could not read; counts as refused.</summary>
    private const int ClosedWhileSending = 499;

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
