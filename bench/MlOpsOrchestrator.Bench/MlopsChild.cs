using System.Diagnostics;
using MlOpsOrchestrator.Cli;
using MlOpsOrchestrator.TestSupport;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// One <c>dotnet mlops.dll ARGS</c> process (the <c>mlops.dll</c> built next to the benchmark), as an operator starts
/// <c>mlops serve</c> or <c>mlops worker</c>. Its output is kept so the benchmark can wait for the start-up report and
/// show what went wrong; its CPU time is read from <c>/proc</c>.
/// </summary>
internal sealed class MlopsChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<(bool Stdout, string Line)> _lines = [];
    private readonly Lock _gate = new();

    private MlopsChild(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public static string Dll => Path.Combine(Path.GetDirectoryName(typeof(MlOpsCli).Assembly.Location)!, "mlops.dll");

    public static MlopsChild Start(string name, string workingDirectory, params string[] args)
    {
        var start = MlopsStartInfo.Create(Dll, workingDirectory, null, args);
        var process = new Process { StartInfo = start };
        var child = new MlopsChild(name, process);
        process.OutputDataReceived += (_, e) => child.OnLine(stdout: true, e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(stdout: false, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {start.FileName} {string.Join(' ', start.ArgumentList)}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the first stdout line starting with <paramref name="prefix"/>; throws with the output when it does not come.</summary>
    public async Task<string> WaitForStdoutAsync(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (_lines.FirstOrDefault(l => l.Stdout && l.Line.StartsWith(prefix, StringComparison.Ordinal)).Line is { } line)
                {
                    return line;
                }
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"{Name} printed no line starting '{prefix}' within {timeout.TotalSeconds:0} s\n{Describe()}");
    }

    /// <summary>The stderr lines (the console log) containing <paramref name="text"/>.</summary>
    public IReadOnlyList<string> StderrLines(string text)
    {
        lock (_gate)
        {
            return _lines.Where(l => !l.Stdout && l.Line.Contains(text, StringComparison.Ordinal)).Select(l => l.Line).ToList();
        }
    }

    /// <summary>User + system CPU time the process has used so far (Linux <c>/proc/PID/stat</c>), or null elsewhere.</summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            _process.Refresh();
            return _process.HasExited ? null : _process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public string Describe(int lines = 40)
    {
        lock (_gate)
        {
            var state = _process.HasExited ? $"exited {_process.ExitCode}" : "running";
            var tail = _lines.Skip(Math.Max(0, _lines.Count - lines)).Select(l => (l.Stdout ? "out| " : "err| ") + l.Line);
            return $"--- {Name} ({state}) ---\n{string.Join('\n', tail)}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
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
        }
    }
}
