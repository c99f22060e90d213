namespace MlOpsOrchestrator.Integration.Tests.Faults;

/// <summary>
/// The fault suite: real <c>mlops</c> processes (and a real PostgreSQL where the fault is the database's) put through a
/// crash, a restart or a full or read-only disk, each asserting that no run is stuck, lost or duplicated and that the
/// model registry is unchanged or complete. Its tests carry <see cref="Category"/> (<c>dotnet test --filter
/// TestCategory=faults</c>) and run with every other test.
/// </summary>
internal static class FaultSuite
{
    public const string Category = "faults";
}
