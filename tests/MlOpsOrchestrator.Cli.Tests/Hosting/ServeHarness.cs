using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Hosting;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using Serilog.Events;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>
/// The real <c>serve</c> host (Kestrel on 127.0.0.1, a free port) over embedded storage in a temp home, with a temp
/// pipelines folder holding a small manual-deploy churn pipeline and one broken file. Requests can pose as coming from
/// another machine: <see cref="RemoteHeader"/> makes a test-only middleware, placed before everything else, rewrite
/// the connection's remote address. No traffic ever leaves loopback.
/// </summary>
internal sealed class ServeHarness : IAsyncDisposable
{
    public const string Pipeline = "churn-api";
    public const string ApiToken = "test-api-token";
    public const string ViewerToken = "test-viewer-token";

    /// <summary>A named API token (<c>MLOPS_API_TOKENS</c>): actions taken with it record <see cref="NamedUser"/>.</summary>
    public const string NamedUser = "alice";
    public const string NamedApiToken = "alice-api-token";

    /// <summary>A named viewer token (<c>MLOPS_VIEWER_TOKENS</c>).</summary>
    public const string NamedViewer = "vera";
    public const string NamedViewerToken = "vera-viewer-token";

    /// <summary>An address of "another machine"; only ever written into the connection info, never connected to.</summary>
    public const string RemoteAddress = "10.0.0.5";

    public const string RemoteHeader = "X-Test-Remote-Address";

    /// <summary>A host name the harness's serve answers to besides the loopback names (as <c>MLOPS_ALLOWED_HOSTS</c> would add).</summary>
    public const string AllowedHost = "mlops.test";

    /// <summary>A web origin the harness's serve trusts besides its own (as <c>MLOPS_ALLOWED_ORIGINS</c> would add).</summary>
    public const string AllowedOrigin = "https://mlops.example.com";

    /// <summary>A run id (and model name) whose reads throw inside the store: the way to see what an unexpected failure looks like.</summary>
    public const string ExplodingRunId = "explode-on-read";

    public const string PipelineYaml = """
        # The customer-churn sample with a (far away) cron trigger, so the API has a trigger to show.
        version: 1
        name: churn-api
        description: Churn risk; deployment is approved by a person.
        owner: growth-analytics
        data:
          source: { type: csv, path: ../data/customers.csv }
          timestamp: signup_ts
          label: churned
          schema:
            signup_ts: { type: datetime }
            contract: { type: categorical }
            payment: { type: categorical }
            monthly_charges: { type: float, missing: mean }
            last_note: { type: text }
            churned: { type: categorical, positive: "yes" }
        triggers:
          - id: new-year
            cron: "0 0 3 1 1 ?"
            mode: full
        steps:
          - { id: prep, kind: data_prep, checks: { min_rows: 1000 }, split: { by: random, test_fraction: 0.25, seed: 3 } }
          - { id: train, kind: train, needs: [prep], task: binary, trainer: lbfgs_logistic_regression }
          - { id: evaluate, kind: evaluate, needs: [train], gates: { auc: { min: 0.7 } } }
          - { id: deploy, kind: deploy, needs: [evaluate], automated: false }

        """;

    private readonly TempFolder _folder;
    private WebApplication _app;

    private ServeHarness(TempFolder folder, WebApplication app, MlOpsHostSettings settings)
    {
        _folder = folder;
        _app = app;
        Settings = settings;
        Client = NewClient(app);
    }

    public MlOpsHostSettings Settings { get; }

    public HttpClient Client { get; private set; }

    public IServiceProvider Services => _app.Services;

    /// <param name="postgres">A connection string for PostgreSQL mode; null for the embedded default.</param>
    /// <param name="queues">The queues the serve process itself takes runs from (default: the default queue).</param>
    /// <param name="configure">Changes to the settings (an hourly job made quicker, default webhooks).</param>
    /// <param name="files">More files for the folder, by path relative to it (other pipelines, their data).</param>
    public static async Task<ServeHarness> StartAsync(
        string? postgres = null, IReadOnlyList<string>? queues = null, Func<MlOpsHostSettings, MlOpsHostSettings>? configure = null,
        IReadOnlyDictionary<string, string>? files = null)
    {
        var folder = new TempFolder();
        try
        {
            Directory.CreateDirectory(folder.Combine("data"));
            File.Copy(RepositoryPaths.Combine("samples", "customer-churn", "data", "customers.csv"), folder.Combine("data", "customers.csv"));
            folder.Write(Path.Combine("pipelines", $"{Pipeline}.yaml"), PipelineYaml);
            folder.Write(Path.Combine("pipelines", "broken.yaml"), "version: 1\nname: broken\nsteps: []\n");
            foreach (var (path, text) in files ?? new Dictionary<string, string>())
            {
                folder.Write(path, text);
            }
            var settings = new MlOpsHostSettings
            {
                Role = HostRole.Serve,
                Home = folder.Combine("home"),
                Postgres = postgres,
                DataRoot = folder.Path,
                PipelinesFolder = folder.Combine("pipelines"),
                Urls = ["http://127.0.0.1:0"],
                AllowedHosts = [AllowedHost],
                AllowedOrigins = [AllowedOrigin],
                Queues = queues ?? ["default"],
                WorkerCount = 2,
                ConsoleLogLevel = LogEventLevel.Warning,
            };

            settings = configure?.Invoke(settings) ?? settings;
            return new ServeHarness(folder, await BuildAndStartAsync(settings), settings);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>Stops the host (its in-memory queue goes with it) and starts a new one on the same home and folders.</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = await BuildAndStartAsync(Settings);
        Client = NewClient(_app);
    }

    public async Task<ApiAnswer> GetAsync(string path, string? remoteToken = null, bool remote = false)
    {
        using var request = Request(HttpMethod.Get, path, null, remoteToken, remote);
        return await SendAsync(request);
    }

    public async Task<ApiAnswer> PostAsync(string path, string? json, string? remoteToken = null, bool remote = false)
    {
        using var request = Request(HttpMethod.Post, path, json, remoteToken, remote);
        return await SendAsync(request);
    }

    /// <summary>Sends a request as built by the test (its own headers, Host and body) and reads the answer as text.</summary>
    public async Task<RawAnswer> SendRawAsync(HttpRequestMessage request)
    {
        using var response = await Client.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new RawAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
    }

    /// <summary>Polls <c>GET /api/runs/{id}</c> until the run's status is one of <paramref name="statuses"/>.</summary>
    public async Task<JsonNode> WaitForRunAsync(string runId, params string[] statuses)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await GetAsync($"/api/runs/{runId}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
            last = body!;
            if (statuses.Contains(last["status"]!.GetValue<string>()))
            {
                return last;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"run {runId} did not reach {string.Join(" or ", statuses)} within 60 s; last seen: {last?.ToJsonString()}");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Starts a run of <see cref="Pipeline"/> and waits until it stops at the manual deploy step.</summary>
    public async Task<string> RunToApprovalAsync()
    {
        var (status, body) = await PostAsync($"/api/pipelines/{Pipeline}/runs", """{ "mode": "full" }""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body?.ToJsonString());
        var runId = body!["runId"]!.GetValue<string>();
        await WaitForRunAsync(runId, "awaiting_approval");
        return runId;
    }

    private static async Task<WebApplication> BuildAndStartAsync(MlOpsHostSettings settings)
    {
        // The access policy reads the tokens when the host is composed and started.
        using var tokens = EnvironmentScope.Set(
            ("MLOPS_API_TOKEN", ApiToken), ("MLOPS_VIEWER_TOKEN", ViewerToken),
            ("MLOPS_API_TOKENS", $"{NamedUser}:{NamedApiToken}"), ("MLOPS_VIEWER_TOKENS", $"{NamedViewer}:{NamedViewerToken}"));
        var app = ServeHost.Build(settings, builder =>
        {
            builder.Services.AddTransient<IStartupFilter, SimulatedRemoteClient>();
            ExplodingRunStore.Register(builder.Services);
            builder.Services.AddSingleton(sp => ExplodingRegistry.Wrap(sp));
        });
        await app.StartAsync();
        return app;
    }

    private static HttpClient NewClient(WebApplication app) =>
        new() { BaseAddress = new Uri(HostAddresses.Of(app.Services).Single()), Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? json, string? remoteToken, bool remote)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (remote || remoteToken is not null)
        {
            request.Headers.Add(RemoteHeader, RemoteAddress);
        }

        if (remoteToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", remoteToken);
        }

        return request;
    }

    private async Task<ApiAnswer> SendAsync(HttpRequestMessage request)
    {
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiAnswer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), headers);
    }

    /// <summary>Test-only: makes a request carrying <see cref="RemoteHeader"/> look as if it came from that address.</summary>
    private sealed class SimulatedRemoteClient : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(RemoteHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>What the API answered: the status, the JSON body (null when empty) and the headers.</summary>
internal sealed record ApiAnswer(HttpStatusCode Status, JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
{
    public void Deconstruct(out HttpStatusCode status, out JsonNode? body) => (status, body) = (Status, Body);
}

/// <summary>What the server answered, as text: for answers that need not be JSON (the dashboard's, a refused host's).</summary>
internal sealed record RawAnswer(HttpStatusCode Status, string Text, IReadOnlyDictionary<string, string> Headers);
