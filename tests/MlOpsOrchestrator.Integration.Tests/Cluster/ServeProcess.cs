using System.Net.Http.Json;
using System.Text.Json;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Cluster;

/// <summary>
/// <c>mlops serve</c> as a real process on the sandbox's database, home and pipelines folder, listening on a free
/// loopback port. Ready once it printed its <c>dashboard:</c> line: by then Quartz, the Hangfire server and Kestrel
/// have started.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ServeProcess(MlopsProcess process, Uri address)
    {
        Process = process;
        Address = address;
        // No proxy: a proxy from the environment must not sit between the test and a loopback port.
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public MlopsProcess Process { get; }

    /// <summary>Where the API listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>A client on <see cref="Address"/>; loopback callers need no token.</summary>
    public HttpClient Http { get; }

    /// <summary>When it printed its start-up report.</summary>
    public DateTimeOffset ReadyAt { get; private set; }

    public static async Task<ServeProcess> StartAsync(ClusterSandbox sandbox, string name, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = MlopsProcess.Start(name, sandbox.Root, environment,
            ["serve", "--pipelines", sandbox.Pipelines, "--urls", "http://127.0.0.1:0", .. sandbox.StateArguments]);
        try
        {
            var line = await process.WaitForStdoutAsync("dashboard:", StartTimeout);
            var dashboard = line["dashboard:".Length..].Trim();
            var root = dashboard.EndsWith("/hangfire", StringComparison.Ordinal) ? dashboard[..^"/hangfire".Length] : dashboard;
            return new ServeProcess(process, new Uri(root + "/")) { ReadyAt = DateTimeOffset.UtcNow };
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
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

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
