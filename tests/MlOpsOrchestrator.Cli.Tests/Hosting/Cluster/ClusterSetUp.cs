using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Hosting.Cluster;

/// <summary>Stops the shared PostgreSQL server the cluster tests started (another namespace starts its own again when it needs one).</summary>
[SetUpFixture]
public sealed class ClusterSetUp
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await PostgresTestEnvironment.ShutdownAsync();
}
