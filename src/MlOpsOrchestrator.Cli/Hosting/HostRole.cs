namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>Which long-running process this is: the whole product (<c>serve</c>) or an executor only (<c>worker</c>).</summary>
internal enum HostRole
{
    /// <summary>Scheduler, executor, dashboard and API.</summary>
    Serve,

    /// <summary>The executor (a Hangfire server) only: no scheduler, no HTTP.</summary>
    Worker,
}
