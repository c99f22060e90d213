using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>
/// A real <c>serve</c> host with something to protect: a model deployed (version 1 under <c>production</c>) by one
/// approved run, and a second run waiting at its manual deploy step. One host per storage, started on first use and
/// shared by the tests of this namespace; <see cref="SnapshotAsync"/> is what "nothing written" compares.
/// </summary>
internal sealed partial class FuzzHost
{
    private static readonly Dictionary<FuzzStorage, Task<FuzzHost>> Hosts = [];
    private static readonly Lock Gate = new();

    private FuzzHost(ServeHarness serve, string waitingRunId, string deployedRunId)
    {
        Serve = serve;
        WaitingRunId = waitingRunId;
        DeployedRunId = deployedRunId;
        Browser = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = serve.Client.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public ServeHarness Serve { get; }

    /// <summary>A client as a browser on the machine: keeps the dashboard's antiforgery cookie, does not follow redirects.</summary>
    public HttpClient Browser { get; }

    public string WaitingRunId { get; }

    public string DeployedRunId { get; }

    public static string Model => ServeHarness.Pipeline;

    public static Task<FuzzHost> GetAsync(FuzzStorage storage)
    {
        lock (Gate)
        {
            if (!Hosts.TryGetValue(storage, out var host))
            {
                host = StartAsync(storage);
                Hosts[storage] = host;
            }

            return host;
        }
    }

    public static async Task DisposeAllAsync()
    {
        List<Task<FuzzHost>> hosts;
        lock (Gate)
        {
            hosts = [.. Hosts.Values];
            Hosts.Clear();
        }

        foreach (var host in hosts.Where(h => h.IsCompletedSuccessfully))
        {
            host.Result.Browser.Dispose();
            await host.Result.Serve.DisposeAsync();
        }
    }

    /// <summary>The dashboard's antiforgery token for this client (the cookie stays in <see cref="Browser"/>).</summary>
    public async Task<string> AntiforgeryTokenAsync()
    {
        var html = await Browser.GetStringAsync($"/hangfire/runs/{WaitingRunId}");
        var match = FormToken().Match(html);
        Assert.That(match.Success, Is.True, "the waiting run's page carries the approve form: " + html);
        return WebUtility.HtmlDecode(match.Groups["token"].Value);
    }

    /// <summary>Sends a request with exactly these bytes as its body (null: none), as the API client or as the dashboard's browser.</summary>
    public async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpMethod method, string path, byte[]? body, string? contentType, bool browser = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (browser)
        {
            request.Headers.TryAddWithoutValidation("Origin", Serve.Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        }

        using var response = await (browser ? Browser : Serve.Client).SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Everything a request could have written: each run and its status, the model's versions and aliases, the alias history.</summary>
    public async Task<string> SnapshotAsync()
    {
        var (runsStatus, runs) = await Serve.GetAsync("/api/runs?limit=500");
        var (modelStatus, model) = await Serve.GetAsync($"/api/models/{Model}");
        Assert.That((runsStatus, modelStatus), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        var runLines = runs!.AsArray().Select(r => $"{r!["runId"]} {r["status"]}");
        return string.Join("\n", runLines) + "\n" + model!.ToJsonString();
    }

    private static async Task<FuzzHost> StartAsync(FuzzStorage storage)
    {
        string? postgres = null;
        if (storage == FuzzStorage.PostgreSql)
        {
            var server = await PostgresTestEnvironment.RequireAsync();
            postgres = await server.CreateDatabaseAsync("fuzz");
        }

        var serve = await ServeHarness.StartAsync(postgres);
        try
        {
            var deployed = await serve.RunToApprovalAsync();
            var (approved, body) = await serve.PostAsync($"/api/runs/{deployed}/steps/deploy/approve", """{ "by": "setup" }""");
            Assert.That(approved, Is.EqualTo(HttpStatusCode.Accepted), body?.ToJsonString());
            var final = await serve.WaitForRunAsync(deployed, "succeeded", "failed", "cancelled");
            Assert.That(final["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), final.ToJsonString());
            var waiting = await serve.RunToApprovalAsync();
            return new FuzzHost(serve, waiting, deployed);
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex FormToken();
}
