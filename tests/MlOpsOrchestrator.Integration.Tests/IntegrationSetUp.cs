using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests;

/// <summary>
/// Covers every test of this assembly (all live in this namespace or below): the shared PostgreSQL server starts
/// lazily on the first <see cref="PostgresTestEnvironment.RequireAsync"/> and is stopped here, once, at the end.
/// </summary>
[SetUpFixture]
public sealed class IntegrationSetUp
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await PostgresTestEnvironment.ShutdownAsync();
}
