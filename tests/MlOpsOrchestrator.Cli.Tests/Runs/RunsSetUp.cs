using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// Covers the end-to-end run tests of this namespace: the shared PostgreSQL server starts lazily on the first
/// <see cref="PostgresTestEnvironment.RequireAsync"/> and is stopped here, once, when they are done.
/// </summary>
[SetUpFixture]
public sealed class RunsSetUp
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await PostgresTestEnvironment.ShutdownAsync();
}
