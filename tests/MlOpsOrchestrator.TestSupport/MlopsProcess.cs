using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// <c>mlops</c> as a real, separate process (<c>dotnet mlops.dll ...</c>, the <c>mlops.dll</c> the Cli project
/// reference copies next to the test assembly), for what cannot happen in-process: being killed or stopped as a lost
/// machine or a service manager would. Its stdout and stderr are kept line by line, in the order received, so a test
/// can wait for a start-up or progress line, read what it logged, and end it. It gets none of the test process's
/// <c>MLOPS_*</c> variables: only its arguments and <c>environment</c> configure it.
/// </summary>
public sealed class MlopsProcess : IDisposable, IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<(bool Stdout, string Line)> _lines = [];
    private readonly List<(bool Stdout, Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly Lock _gate = new();

    private MlopsProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>What the test calls it in messages, e.g. <c>serve#1</c>.</summary>
    public string Name { get; }

    public int Id { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>When <see cref="KillAsync"/> killed it; null while it was not killed by the test.</summary>
    public DateTimeOffset? KilledAt { get; private set; }

    public bool HasExited => _process.HasExited;

    public string Stdout => Text(l => l.Stdout);

    public string Stderr => Text(l => !l.Stdout);

    /// <summary>Everything it printed so far, stdout and stderr interleaved as received.</summary>
    public string Output => Text(_ => true);

    /// <summary>The <c>mlops.dll</c> built with the test assembly.</summary>
    public static string Dll => Path.Combine(TestContext.CurrentContext.TestDirectory, "mlops.dll");

    /// <summary>Starts <c>dotnet mlops.dll ARGS</c> in <paramref name="workingDirectory"/>, with the MLOPS_* variables removed.</summary>
    public static MlopsProcess Start(string workingDirectory, params string[] args) => Start("mlops", workingDirectory, null, args);

    /// <summary>Starts <c>dotnet mlops.dll ARGS</c> in <paramref name="workingDirectory"/>, with the MLOPS_* variables removed and <paramref name="environment"/> added.</summary>
    public static MlopsProcess Start(string name, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        Assert.That(Dll, Does.Exist, "mlops.dll is copied beside the test assembly by the Cli project reference");
        var start = MlopsStartInfo.Create(Dll, workingDirectory, environment, args);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var result = new MlopsProcess(name, process);
        process.OutputDataReceived += (_, e) => result.OnLine(stdout: true, e.Data);
        process.ErrorDataReceived += (_, e) => result.OnLine(stdout: false, e.Data);
        result.StartedAt = DateTimeOffset.UtcNow;
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {start.FileName} {string.Join(' ', start.ArgumentList)}");
        }

        result.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>The first stdout line starting with <paramref name="prefix"/>; fails the test with what was printed when it does not come in time or the process ends first.</summary>
    public Task<string> WaitForStdoutAsync(string prefix, TimeSpan timeout) =>
        WaitForAsync(stdout: true, l => l.StartsWith(prefix, StringComparison.Ordinal), $"a stdout line starting '{prefix}'", timeout);

    /// <summary>The first stderr line containing <paramref name="text"/>; fails the test with what was printed when it does not come in time or the process ends first.</summary>
    public Task<string> WaitForStderrAsync(string text, TimeSpan timeout) =>
        WaitForAsync(stdout: false, l => l.Contains(text, StringComparison.Ordinal), $"a stderr line containing '{text}'", timeout);

    /// <summary>The stderr lines (the console log) that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> StderrLines(string text)
    {
        lock (_gate)
        {
            return _lines.Where(l => !l.Stdout && l.Line.Contains(text, StringComparison.Ordinal)).Select(l => l.Line).ToList();
        }
    }

    /// <summary>Kills the process and everything it started (SIGKILL, as <c>kill -9</c> or a lost machine would: nothing is flushed, no run is marked interrupted) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        KilledAt = DateTimeOffset.UtcNow;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>
    /// Stops the process as a service manager would (SIGTERM: a graceful shutdown) and waits until it is gone; kills it
    /// if it is still there after <paramref name="grace"/>. Returns the exit code.
    /// </summary>
    public async Task<int> TerminateAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        return _process.ExitCode;
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
            throw new AssertionException($"{Name} did not exit within {timeout.TotalSeconds:0} s\n{Describe(int.MaxValue)}");
        }

        // The asynchronous readers may still hold the last lines: WaitForExit() without a timeout drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>The last lines of both streams, for a failure message.</summary>
    public string Describe(int lines = 40)
    {
        lock (_gate)
        {
            var state = _process.HasExited ? $"exited {_process.ExitCode}" : "running";
            var tail = _lines.Skip(Math.Max(0, _lines.Count - lines)).Select(l => (l.Stdout ? "out| " : "err| ") + l.Line);
            return $"--- {Name} (pid {Id}, {state}) ---\n{string.Join('\n', tail)}";
        }
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
            // Never started, or already gone.
        }

        _process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }

        _process.Dispose();
    }

    private async Task<string> WaitForAsync(bool stdout, Func<string, bool> match, string what, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.FirstOrDefault(l => l.Stdout == stdout && match(l.Line)).Line is { } already)
            {
                return already;
            }

            _waiters.Add((stdout, match, seen));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (first == seen.Task)
        {
            return await seen.Task;
        }

        var why = first == exited ? $"mlops exited with {_process.ExitCode} first" : $"not within {timeout.TotalSeconds:0} s";
        throw new AssertionException($"{Name} waited for {what}: {why}\n{Describe(int.MaxValue)}");
    }

    private string Text(Func<(bool Stdout, string Line), bool> which)
    {
        lock (_gate)
        {
            return string.Join('\n', _lines.Where(which).Select(l => l.Line));
        }
    }

    private void OnLine(bool stdout, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add((stdout, line));
            foreach (var waiter in _waiters.Where(w => w.Stdout == stdout && w.Match(line)).ToList())
            {
                waiter.Seen.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }
}
