using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.ContinuousTraining;

/// <summary>
/// <c>mlops serve --postgres CS</c> as an operator starts it: a separate <c>dotnet mlops.dll serve</c> process (mlops.dll
/// is copied next to this test assembly) on a port Kestrel picks on 127.0.0.1, scheduling the pipelines of one folder
/// with run history, registry, watermarks, queue and schedules in one PostgreSQL database. The process gets no
/// <c>MLOPS_*</c> variables of the test process: only its command line configures it.
/// </summary>
internal sealed class ServeOnPostgres : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string?> _dashboard = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeOnPostgres(Process process)
    {
        _process = process;
    }

    /// <summary>The API, at the address serve printed.</summary>
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

    /// <param name="folder">The data root and working folder.</param>
    /// <param name="pipelines">The pipelines folder serve loads and watches.</param>
    /// <param name="home">Artifacts, keys and logs; shared with the in-process commands of the test.</param>
    /// <param name="postgres">The database of this test.</param>
    public static async Task<ServeOnPostgres> StartAsync(string folder, string pipelines, string home, string postgres)
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
        foreach (var argument in new[]
                 {
                     mlops, "serve", "--urls", "http://127.0.0.1:0", "--home", home, "--pipelines", pipelines, "--data-root", folder,
                     "--postgres", postgres,
                 })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MLOPS_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        var serve = new ServeOnPostgres(new Process { StartInfo = info, EnableRaisingEvents = true });
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
            await _process.WaitForExitAsync();
            throw new AssertionException($"mlops serve exited ({_process.ExitCode}) before printing its dashboard address\n{Output}");
        }

        Client = new HttpClient { BaseAddress = new Uri(new Uri(dashboard).GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(30) };
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

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {text}");
        return JsonNode.Parse(text) ?? throw new AssertionException($"GET {path} answered JSON null");
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                // A throwaway server over a temp folder and a throwaway database: nothing to stop gracefully for.
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
