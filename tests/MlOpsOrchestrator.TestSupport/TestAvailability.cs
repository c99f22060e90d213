using NUnit.Framework;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// The one policy for a missing external dependency (PostgreSQL, the shared datasets): on CI the test fails with
/// the reason, because CI is supposed to have everything; on a developer machine it is skipped with the reason.
/// It never passes silently.
/// </summary>
internal static class TestAvailability
{
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails or ignores the current test; the return value only lets callers write <c>throw</c>.</summary>
    public static Exception Unavailable(string reason)
    {
        if (IsCi)
        {
            Assert.Fail(reason);
        }
        else
        {
            Assert.Ignore(reason);
        }

        return new InvalidOperationException(reason);
    }
}
