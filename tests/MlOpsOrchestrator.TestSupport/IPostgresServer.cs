namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// A PostgreSQL server that tests may create databases in: either a cluster the test run started itself or the
/// server named by <c>MLOPS_TEST_POSTGRES</c>. Tests depend on this, not on where the server came from.
/// </summary>
public interface IPostgresServer
{
    /// <summary>An Npgsql connection string to the <c>postgres</c> database as a superuser.</summary>
    string ConnectionString { get; }

    /// <summary>
    /// Creates a fresh, empty database and returns a connection string to it. A unique suffix is appended to
    /// <paramref name="name"/> (lowercase letters, digits, underscores) so two test classes, or two runs sharing
    /// an external server, never meet in the same database.
    /// </summary>
    Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default);
}
