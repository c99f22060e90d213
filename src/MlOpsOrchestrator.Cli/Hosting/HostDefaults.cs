using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>What <c>serve</c> and <c>worker</c> share about the process itself: quiet lifetime, time to stop cleanly.</summary>
internal static class HostDefaults
{
    /// <summary>
    /// Long enough for a running step to notice the stop, record its run as interrupted and hand the job back to the
    /// queue (another worker resumes it after the last finished step).
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static void Apply(IServiceCollection services)
    {
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
    }
}
