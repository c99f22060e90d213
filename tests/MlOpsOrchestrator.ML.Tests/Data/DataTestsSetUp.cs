using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>Stops the PostgreSQL test cluster the postgres-source tests of this namespace started (lazily, on first use).</summary>
[SetUpFixture]
public sealed class DataTestsSetUp
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await PostgresTestEnvironment.ShutdownAsync();
}
