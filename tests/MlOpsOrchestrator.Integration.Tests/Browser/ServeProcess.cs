using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// <c>mlops serve</c> as a user starts it: a separate <c>dotnet mlops.dll serve</c> process (mlops.dll is copied next
/// to this test assembly) on a port Kestrel picks on 127.0.0.1, with embedded storage under a temp folder, or with
/// run history, registry, watermarks, queue and schedules in one PostgreSQL database. The addresses are read from
/// what serve prints. The process gets no <c>MLOPS_*</c> variables of the test process, so
/// nothing but the command line configures it. No traffic leaves loopback.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    /// <summary>PostgreSQL start-up (migrations, Hangfire and Quartz schemas) included.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    /// <summary>The dashboard address serve printed, or null when it exited first.</summary>
    private readonly TaskCompletionSource<string?> _dashboard = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The dashboard's root, e.g. <c>http://127.0.0.1:41234/hangfire</c> (no trailing slash).</summary>
    public Uri Dashboard { get; private set; } = null!;

    /// <summary>The API at the same address as the dashboard.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Everything the process printed so far, stdout and stderr interleaved as received.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="folder">The data root and working folder; the home (embedded database, keys, logs) goes under it by default.</param>
    /// <param name="pipelinesFolder">The pipelines serve loads and watches.</param>
    /// <param name="home">Artifacts, keys and logs, when shared with in-process commands of the test.</param>
    /// <param name="postgres">A connection string: PostgreSQL storage instead of the embedded default.</param>
    public static async Task<ServeProcess> StartAsync(string folder, string pipelinesFolder, string? home = null, string? postgres = null)
    {
        var mlops = Path.Combine(TestContext.CurrentContext.TestDirectory, "mlops.dll");
        Assert.That(mlops, Does.Exist, "mlops.dll is copied beside the test assembly by the Cli project reference");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        string[] storage = postgres is null ? [] : ["--postgres", postgres];
        string[] arguments =
        [
            mlops, "serve", "--urls", "http://127.0.0.1:0", "--home", home ?? Path.Combine(folder, "home"),
            "--pipelines", pipelinesFolder, "--data-root", folder, .. storage,
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MLOPS_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        var serve = new ServeProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        try
        {
            await serve.StartAsync();
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _process.OutputDataReceived += (_, e) => Received(e.Data, stdout: true);
        _process.ErrorDataReceived += (_, e) => Received(e.Data, stdout: false);
        _process.Exited += (_, _) => _dashboard.TrySetResult(null);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        string? dashboard;
        try
        {
            dashboard = await _dashboard.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"mlops serve printed no dashboard address within {StartTimeout.TotalSeconds:F0} s\n{Output}");
        }

        if (dashboard is null)
        {
            await _process.WaitForExitAsync(); // drains what it printed
            throw new AssertionException($"mlops serve exited ({_process.ExitCode}) before printing its dashboard address\n{Output}");
        }

        Dashboard = new Uri(dashboard.TrimEnd('/'));
        Client = new HttpClient { BaseAddress = new Uri(Dashboard.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(30) };
    }

    private void Received(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string prefix = "dashboard: ";
        if (stdout && line.StartsWith(prefix, StringComparison.Ordinal))
        {
            _dashboard.TrySetResult(line[prefix.Length..].Trim());
        }
    }

    /// <summary>A dashboard page's address, e.g. <c>/pipelines</c> or <c>/runs/ID</c>.</summary>
    public string Page(string path) => Dashboard.AbsoluteUri.TrimEnd('/') + path;

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {text}");
        return JsonNode.Parse(text) ?? throw new AssertionException($"GET {path} answered JSON null");
    }

    public async Task<JsonNode> PostJsonAsync(string path, string json, HttpStatusCode expected)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), $"POST {path}: {text}");
        return JsonNode.Parse(text) ?? throw new AssertionException($"POST {path} answered JSON null");
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

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                // A throwaway server over a temp folder (and a throwaway database): nothing to stop gracefully for.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    /// <summary>The dotnet host that runs this test (the SDK sets DOTNET_HOST_PATH for what it starts), else dotnet on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
