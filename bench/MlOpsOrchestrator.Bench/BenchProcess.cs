using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// A child process of a benchmark, <c>dotnet X.dll ARGS</c>: its output captured line by line (with the time since
/// start each line arrived), its wall time, and its memory read from <c>/proc/PID/status</c> while it runs
/// (<c>VmHWM</c>, the kernel's peak resident set, is monotonic, so the last reading before exit is the peak).
/// The child gets no <c>MLOPS_*</c> variables from the bench's environment, so only its arguments choose its storage.
/// </summary>
internal sealed class BenchProcess : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly Process _process;
    private readonly long _started;
    private readonly ConcurrentQueue<(TimeSpan At, string Line)> _lines = new();
    private readonly StringBuilder _errors = new();
    private readonly Lock _errorsGate = new();
    private readonly CancellationTokenSource _stopPolling = new();
    private readonly Task _polling;
    private readonly SemaphoreSlim _lineArrived = new(0);
    private long _peakBytes;
    private long _exitedAfterTicks = -1;

    private BenchProcess(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.Exited += (_, _) => Interlocked.CompareExchange(ref _exitedAfterTicks, Elapsed.Ticks, -1);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Enqueue((Elapsed, e.Data));
                _lineArrived.Release();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errorsGate)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        _started = Stopwatch.GetTimestamp();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _polling = Task.Run(PollAsync);
    }

    public int Id => _process.Id;

    /// <summary>Time since the process was started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>The largest <c>VmHWM</c> read so far, in bytes (the peak resident set).</summary>
    public long PeakBytes => Interlocked.Read(ref _peakBytes);

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _lines.Select(l => l.Line));

    public string Errors
    {
        get
        {
            lock (_errorsGate)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> with the host running this process.</summary>
    public static BenchProcess StartDll(string dll, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MLOPS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new BenchProcess(start);
    }

    /// <summary>The <c>mlops</c> command line, as built beside this benchmark.</summary>
    public static string MlOpsDll => typeof(Cli.MlOpsCli).Assembly.Location;

    /// <summary>This benchmark executable, for its hidden baseline modes.</summary>
    public static string BenchDll => typeof(BenchProcess).Assembly.Location;

    /// <summary>Waits for the first stdout line matching <paramref name="match"/>; returns it with when it arrived.</summary>
    /// <exception cref="InvalidOperationException">The process exited first, or <paramref name="timeout"/> passed.</exception>
    public async Task<(string Line, TimeSpan At)> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var seen = 0;
        while (true)
        {
            var lines = _lines.ToArray();
            for (; seen < lines.Length; seen++)
            {
                if (match(lines[seen].Line))
                {
                    return (lines[seen].Line, lines[seen].At);
                }
            }

            if (_process.HasExited && _lines.Count == seen)
            {
                await _process.WaitForExitAsync(ct);
                if (_lines.Count == seen)
                {
                    throw new InvalidOperationException($"the child process exited ({_process.ExitCode}) before printing the expected line; {Describe()}");
                }

                continue;
            }

            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                throw new InvalidOperationException($"the child process did not print the expected line within {timeout.TotalSeconds:0} s; {Describe()}");
            }

            await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(100, left * 1000.0 / Stopwatch.Frequency)), ct);
        }
    }

    /// <summary>Waits for the process to exit; returns its exit code and wall time from start to exit.</summary>
    public async Task<(int ExitCode, TimeSpan Wall)> WaitForExitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidOperationException($"the child process did not exit within {timeout.TotalMinutes:0} min; {Describe()}");
        }

        var exitedAfter = Interlocked.Read(ref _exitedAfterTicks);
        return (_process.ExitCode, exitedAfter >= 0 ? TimeSpan.FromTicks(exitedAfter) : Elapsed);
    }

    /// <summary>
    /// CPU time the process has used so far (user + system, from <c>/proc/PID/stat</c>, in the kernel's clock ticks,
    /// assumed 100 per second as on every Linux the benchmarks run on); null once the process is gone.
    /// </summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The resident set now (<c>VmRSS</c>), in bytes; null once the process is gone.</summary>
    public long? ResidentBytes() => ReadStatus(_process.Id, "VmRSS:");

    public string Describe()
    {
        var output = _lines.ToArray().TakeLast(15).Select(l => l.Line);
        var errors = Errors.Split('\n').TakeLast(25);
        return $"stdout (tail):\n{string.Join('\n', output)}\nstderr (tail):\n{string.Join('\n', errors)}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await _stopPolling.CancelAsync();
        await _polling;
        _stopPolling.Dispose();
        _lineArrived.Dispose();
        _process.Dispose();
    }

    private async Task PollAsync()
    {
        var pid = _process.Id;
        while (!_stopPolling.IsCancellationRequested)
        {
            if (ReadStatus(pid, "VmHWM:") is { } peak)
            {
                InterlockedMax(ref _peakBytes, peak);
            }
            else if (_process.HasExited)
            {
                return;
            }

            try
            {
                await Task.Delay(PollInterval, _stopPolling.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>A <c>kB</c> line of <c>/proc/PID/status</c> in bytes; null when the process (or /proc) is not there.</summary>
    private static long? ReadStatus(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var number = line[key.Length..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process has exited.
        }

        return null;
    }

    /// <summary>The <c>dotnet</c> host: the one running this process when it is <c>dotnet</c>, else the one beside the shared runtime.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime)));
        var beside = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return beside is not null && File.Exists(beside) ? beside : "dotnet";
    }
}
