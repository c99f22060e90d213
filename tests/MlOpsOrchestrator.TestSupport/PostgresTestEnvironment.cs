namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// The PostgreSQL server of this test assembly: the one named by <c>MLOPS_TEST_POSTGRES</c> (an Npgsql connection
/// string) when set, else a <see cref="PostgresCluster"/> started on first use. Tests call
/// <see cref="RequireAsync"/>: when no server can be had, the test fails with the reason on CI (<c>CI=true</c>)
/// and is skipped with the reason elsewhere. The assembly's <c>[SetUpFixture]</c> calls <see cref="ShutdownAsync"/>.
/// </summary>
public static class PostgresTestEnvironment
{
    private static readonly PostgresProvisioner Shared = PostgresProvisioner.FromEnvironment();

    /// <summary>The shared server; throws <see cref="InvalidOperationException"/> with the reason when there is none.</summary>
    public static Task<IPostgresServer> GetAsync(CancellationToken ct = default) => Shared.GetAsync(ct);

    /// <summary>The shared server, or the current test fails (CI) or is ignored (elsewhere) with the reason.</summary>
    public static Task<IPostgresServer> RequireAsync(CancellationToken ct = default) => Shared.RequireAsync(ct);

    /// <summary>
    /// A cluster of the test's own, started from the local binaries, for a test that stops or restarts the server (the
    /// shared one must stay up for the others); the test disposes it. Without binaries the test fails with the reason
    /// on CI and is skipped elsewhere, as with <see cref="RequireAsync"/>.
    /// </summary>
    public static async Task<PostgresCluster> RequireOwnClusterAsync(CancellationToken ct = default)
    {
        try
        {
            return await PostgresCluster.StartAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw TestAvailability.Unavailable($"a PostgreSQL cluster of the test's own cannot be started: {e.Message}");
        }
    }

    /// <summary>Stops the cluster this assembly started and drops the databases it made in an external server.</summary>
    public static ValueTask ShutdownAsync() => Shared.DisposeAsync();
}
