using MlOpsOrchestrator.TestSupport;

namespace MlOpsOrchestrator.Integration.Tests.Cluster;

/// <summary>
/// <c>mlops worker</c> as a real process on the sandbox's database and home: an executor only. Ready once it printed
/// its <c>mlops worker:</c> line, which comes after its Hangfire server has started.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private WorkerProcess(MlopsProcess process)
    {
        Process = process;
    }

    public MlopsProcess Process { get; }

    public static async Task<WorkerProcess> StartAsync(ClusterSandbox sandbox, string name, IReadOnlyDictionary<string, string>? environment = null, string[]? state = null)
    {
        var process = MlopsProcess.Start(name, sandbox.Root, environment, ["worker", .. state ?? sandbox.StateArguments]);
        try
        {
            await process.WaitForStdoutAsync("mlops worker:", ServeProcess.StartTimeout);
            return new WorkerProcess(process);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
