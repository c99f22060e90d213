using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>Stops the hosts the malformed-input tests started, then the PostgreSQL server they used, once, at the end.</summary>
[SetUpFixture]
public sealed class FuzzSetUp
{
    [OneTimeTearDown]
    public async Task StopHosts()
    {
        await FuzzHost.DisposeAllAsync();
        await PostgresTestEnvironment.ShutdownAsync();
    }
}
