using System.Collections.Concurrent;
using System.Diagnostics;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// <c>mlops</c> as a real, separate process (<c>dotnet mlops.dll ...</c>), for what cannot happen in-process: being
/// killed. The <c>mlops.dll</c> is the one the build copies next to this test assembly. Its stderr is read line by
/// line so a test can wait for a progress line, then kill it.
/// </summary>
internal sealed class MlopsProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly Lock _gate = new();

    private MlopsProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stderr => string.Join('\n', _stderr);

    public string Stdout => string.Join('\n', _stdout);

    /// <summary>The <c>mlops.dll</c> built with this test assembly.</summary>
    public static string Dll => Path.Combine(Path.GetDirectoryName(typeof(MlOpsCli).Assembly.Location)!, "mlops.dll");

    /// <summary>Starts <c>dotnet mlops.dll ARGS</c> with the MLOPS_* state variables removed from its environment.</summary>
    public static MlopsProcess Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in CliSession.StateVariables)
        {
            start.Environment.Remove(name);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var result = new MlopsProcess(process);
        process.ErrorDataReceived += (_, e) => result.OnLine(e.Data, result._stderr);
        process.OutputDataReceived += (_, e) => result.OnLine(e.Data, result._stdout);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {start.FileName} {string.Join(' ', start.ArgumentList)}");
        }

        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return result;
    }

    /// <summary>The first stderr line containing <paramref name="text"/>; fails the test with what was printed if it does not come in time or the process ends first.</summary>
    public async Task<string> WaitForStderrAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_stderr.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } already)
            {
                return already;
            }

            _waiters.Add((l => l.Contains(text, StringComparison.Ordinal), seen));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (first == seen.Task)
        {
            return await seen.Task;
        }

        var why = first == exited ? $"mlops exited with {_process.ExitCode} first" : $"not within {timeout.TotalSeconds:0} s";
        throw new AssertionException($"waited for '{text}' on stderr: {why}\n--- stderr ---\n{Stderr}\n--- stdout ---\n{Stdout}");
    }

    /// <summary>Waits for the process to end by itself and returns its exit code; fails the test with what it printed if it does not end in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"mlops did not exit within {timeout.TotalSeconds:0} s\n--- stderr ---\n{Stderr}\n--- stdout ---\n{Stdout}");
        }

        // The asynchronous readers may still hold the last lines: WaitForExit() without a timeout drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Kills the process and everything it started, as <c>kill -9</c> or a lost machine would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started or is already gone.
        }

        _process.Dispose();
    }

    /// <summary>The <c>dotnet</c> host running these tests (so the same runtime runs <c>mlops</c>), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }

    private void OnLine(string? line, ConcurrentQueue<string> into)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            into.Enqueue(line);
            if (!ReferenceEquals(into, _stderr))
            {
                return;
            }

            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Seen.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }
}
