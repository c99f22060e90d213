using System.Diagnostics;
using NUnit.Framework;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// Provides one server per test assembly, started on first use and remembered, failure included, so a machine
/// without PostgreSQL pays for the failed start once rather than once per test.
/// </summary>
internal sealed class PostgresProvisioner(string? externalConnectionString) : IAsyncDisposable
{
    public const string EnvironmentVariable = "MLOPS_TEST_POSTGRES";

    private readonly Lock _gate = new();
    private Task<IPostgresServer>? _server;

    public static PostgresProvisioner FromEnvironment() =>
        new(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null);

    public Task<IPostgresServer> GetAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            _server ??= ProvisionAsync();
            return _server.WaitAsync(ct);
        }
    }

    public async Task<IPostgresServer> RequireAsync(CancellationToken ct)
    {
        try
        {
            return await GetAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw TestAvailability.Unavailable($"PostgreSQL is not available: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<IPostgresServer>? server;
        lock (_gate)
        {
            (server, _server) = (_server, null);
        }

        if (server is { IsCompletedSuccessfully: true } && server.Result is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    // Not cancellable by any one test: the server is shared, and every step has its own time limit.
    private async Task<IPostgresServer> ProvisionAsync()
    {
        if (externalConnectionString is not null)
        {
            return await ExternalPostgresServer.ConnectAsync(externalConnectionString, EnvironmentVariable, CancellationToken.None);
        }

        var clock = Stopwatch.StartNew();
        var cluster = await PostgresCluster.StartAsync(CancellationToken.None);
        await TestContext.Progress.WriteLineAsync(
            $"PostgreSQL test cluster started on 127.0.0.1:{cluster.Port} in {clock.Elapsed.TotalSeconds:F1} s");
        return cluster;
    }
}
