using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Features;

/// <summary>Stops the PostgreSQL test cluster the feature view tests of this namespace started (lazily, on first use).</summary>
[SetUpFixture]
public sealed class FeaturesTestsSetUp
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await PostgresTestEnvironment.ShutdownAsync();
}
