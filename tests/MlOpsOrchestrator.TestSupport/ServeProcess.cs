using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// <c>mlops serve</c> as a user starts it: a separate <c>dotnet mlops.dll serve</c> process (see <see cref="MlopsProcess"/>)
/// on a port Kestrel picks on 127.0.0.1. Ready once it printed its <c>dashboard:</c> line: by then Quartz, the
/// Hangfire server and Kestrel have started. The addresses are read from that line; no traffic leaves loopback.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    /// <summary>PostgreSQL start-up (migrations, Hangfire and Quartz schemas) included.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private const string DashboardLine = "dashboard:";

    private ServeProcess(MlopsProcess process, Uri dashboard)
    {
        Process = process;
        Dashboard = dashboard;
        var path = dashboard.AbsoluteUri;
        Address = new Uri((path.EndsWith("/hangfire", StringComparison.Ordinal) ? path[..^"/hangfire".Length] : path) + "/");
        // No proxy: a proxy from the environment must not sit between the test and a loopback port.
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public MlopsProcess Process { get; }

    /// <summary>The dashboard's root, e.g. <c>http://127.0.0.1:41234/hangfire</c> (no trailing slash).</summary>
    public Uri Dashboard { get; }

    /// <summary>Where the API listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>A client on <see cref="Address"/>; loopback callers need no token.</summary>
    public HttpClient Http { get; }

    /// <summary>When it printed its start-up report.</summary>
    public DateTimeOffset ReadyAt { get; private init; }

    /// <summary>Everything the process printed so far, stdout and stderr interleaved as received.</summary>
    public string Output => Process.Output;

    /// <summary>
    /// Serve with its state under <paramref name="folder"/> (the data root and working folder): the embedded database,
    /// keys and logs in <c>folder/home</c>, or run history, registry, watermarks, queue and schedules in one PostgreSQL
    /// database.
    /// </summary>
    /// <param name="folder">The data root and working folder; the home goes under it by default.</param>
    /// <param name="pipelinesFolder">The pipelines serve loads and watches.</param>
    /// <param name="home">Artifacts, keys and logs, when shared with in-process commands of the test.</param>
    /// <param name="postgres">A connection string: PostgreSQL storage instead of the embedded default.</param>
    public static Task<ServeProcess> StartAsync(string folder, string pipelinesFolder, string? home = null, string? postgres = null)
    {
        string[] storage = postgres is null ? [] : ["--postgres", postgres];
        return StartAsync("serve", folder, null,
            ["--home", home ?? Path.Combine(folder, "home"), "--pipelines", pipelinesFolder, "--data-root", folder, .. storage]);
    }

    /// <summary>
    /// <c>mlops serve --urls http://127.0.0.1:0 ARGS</c> in <paramref name="workingDirectory"/>, with
    /// <paramref name="environment"/> added; returns once it printed its dashboard address, fails the test with what it
    /// printed when it exits first or does not within <see cref="StartTimeout"/>.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(string name, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var process = MlopsProcess.Start(name, workingDirectory, environment, ["serve", "--urls", "http://127.0.0.1:0", .. arguments]);
        try
        {
            var line = await process.WaitForStdoutAsync(DashboardLine, StartTimeout);
            var dashboard = line[DashboardLine.Length..].Trim().TrimEnd('/');
            return new ServeProcess(process, new Uri(dashboard)) { ReadyAt = DateTimeOffset.UtcNow };
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>A dashboard page's address, e.g. <c>/pipelines</c> or <c>/runs/ID</c>.</summary>
    public string Page(string path) => Dashboard.AbsoluteUri.TrimEnd('/') + path;

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {text}");
        return JsonNode.Parse(text) ?? throw new AssertionException($"GET {path} answered JSON null");
    }

    public async Task<JsonNode> PostJsonAsync(string path, string json, HttpStatusCode expected)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), $"POST {path}: {text}");
        return JsonNode.Parse(text) ?? throw new AssertionException($"POST {path} answered JSON null");
    }

    /// <summary><c>POST /api/pipelines/{name}/runs</c>; returns the new run's id.</summary>
    public async Task<string> StartRunAsync(string pipeline)
    {
        using var response = await Http.PostAsJsonAsync($"api/pipelines/{pipeline}/runs", new { mode = "full" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(202), $"POST /api/pipelines/{pipeline}/runs answered {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("runId").GetString()!;
    }

    /// <summary><c>GET /api/runs?pipeline=P&amp;limit=N</c>, newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> RunsAsync(string pipeline, int limit = 100)
    {
        using var response = await Http.GetAsync($"api/runs?pipeline={Uri.EscapeDataString(pipeline)}&limit={limit}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"GET /api/runs answered {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Polls <c>GET /api/runs/{id}</c> until the run's status is <paramref name="status"/>; fails early on an end state.</summary>
    public async Task<JsonNode> WaitForRunAsync(string runId, string status, TimeSpan timeout)
    {
        string[] ends = ["succeeded", "failed", "cancelled", "interrupted"];
        var deadline = DateTime.UtcNow + timeout;
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetJsonAsync($"/api/runs/{Uri.EscapeDataString(runId)}");
            var now = last["status"]?.GetValue<string>();
            if (now == status)
            {
                return last;
            }

            if (ends.Contains(now))
            {
                Assert.Fail($"run {runId} ended {now} while waiting for {status}: {last.ToJsonString()}\n{Output}");
            }

            await Task.Delay(200);
        }

        Assert.Fail($"run {runId} did not reach {status} within {timeout.TotalSeconds:F0} s; last seen: {last?.ToJsonString()}\n{Output}");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Kills it: a throwaway server over a temp folder (and a throwaway database) has nothing to stop gracefully for.</summary>
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
