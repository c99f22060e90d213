using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests;

/// <summary>
/// Covers every test of this assembly: the shared PostgreSQL server starts lazily on the first
/// <see cref="PostgresTestEnvironment.RequireAsync"/> and is stopped here, once, at the end.
/// </summary>
[SetUpFixture]
public sealed class SchedulingTestsSetUp
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await PostgresTestEnvironment.ShutdownAsync();
}
