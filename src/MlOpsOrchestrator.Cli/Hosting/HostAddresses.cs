using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>The addresses a started host actually listens on (with the real port when 0 was asked for); none for a worker.</summary>
internal static class HostAddresses
{
    public static IReadOnlyList<string> Of(IServiceProvider services) =>
        services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
