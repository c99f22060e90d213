using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster started from the locally installed binaries. Integration tests need a real
/// server and no Docker engine runs on the CI machines, so the test run creates one in a temporary folder, on a
/// free loopback port, with durability switched off for speed, and removes it afterwards.
/// </summary>
public sealed class PostgresCluster : IPostgresServer, IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _binDirectory;
    private int _disposed;

    private PostgresCluster(string binDirectory, string folder, int port)
    {
        _binDirectory = binDirectory;
        Folder = folder;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            IncludeErrorDetail = true,
        }.ConnectionString;
        AppDomain.CurrentDomain.ProcessExit += StopOnProcessExit;
    }

    public string ConnectionString { get; }

    public int Port { get; }

    /// <summary>The temporary folder holding the data directory, the socket and <c>server.log</c>.</summary>
    internal string Folder { get; }

    private string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>Starts a cluster from the binaries found by <c>MLOPS_PG_BIN</c>, pg_config, /usr/lib/postgresql or PATH.</summary>
    public static async Task<PostgresCluster> StartAsync(CancellationToken ct = default) =>
        await StartAsync(await PostgresBinaries.LocateAsync(ct), ct);

    public static async Task<PostgresCluster> StartAsync(string binDirectory, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(binDirectory);
        var folder = Directory.CreateTempSubdirectory("mlops-pg-").FullName;
        try
        {
            if (PostgresUser.IsRoot)
            {
                await PostgresUser.GiveAsync(folder, ct);
            }

            var data = Path.Combine(folder, "data");
            await RunOrThrowAsync(binDirectory, folder, "initdb", ct,
                "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
            await File.AppendAllLinesAsync(Path.Combine(data, "postgresql.conf"), Settings(folder), ct);
            return await StartServerAsync(binDirectory, folder, ct);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    public Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default) =>
        PostgresDatabases.CreateAsync(ConnectionString, name, ct);

    /// <summary>
    /// Restarts the server the hard way, as a crash and a quick reboot would: stopped at once (<c>-m immediate</c>:
    /// every connection is cut, nothing is checkpointed), left down for <paramref name="down"/>, and started again on the
    /// same port, where it runs crash recovery first (answering 57P03 "the database system is starting up" meanwhile).
    /// Returns when the server accepts connections again.
    /// </summary>
    public async Task RestartAsync(TimeSpan down, CancellationToken ct = default)
    {
        var stop = await StopAsync(ct);
        if (!stop.Succeeded)
        {
            throw new InvalidOperationException($"Could not stop the test cluster in {Folder}: {stop.Describe()}");
        }

        await Task.Delay(down, ct);
        var log = Path.Combine(Folder, "server.log");
        var start = await PostgresUser.RunAsync(_binDirectory, "pg_ctl", Folder, CommandTimeout, ct,
            "-D", DataDirectory, "-l", log, "-w", "-t", "60", "-o", $"-p {Port}", "start");
        if (!start.Succeeded)
        {
            throw new InvalidOperationException(
                $"PostgreSQL did not start again: {start.Describe()}{Environment.NewLine}--- {log} (tail) ---{Environment.NewLine}{LogTail(log)}");
        }
    }

    /// <summary>Stops the server at once (nothing in it is worth a clean shutdown) and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= StopOnProcessExit;
        var stop = await StopAsync(CancellationToken.None);
        if (!stop.Succeeded && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            throw new InvalidOperationException($"Could not stop the test cluster in {Folder}: {stop.Describe()}");
        }

        TryDelete(Folder);
    }

    private static IEnumerable<string> Settings(string folder) =>
    [
        "# Throwaway test cluster: loopback only, no durability.",
        "listen_addresses = '127.0.0.1'",
        $"unix_socket_directories = '{folder}'",
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "shared_buffers = 16MB",
        "max_connections = 200",
    ];

    private static async Task<PostgresCluster> StartServerAsync(string binDirectory, string folder, CancellationToken ct)
    {
        const int attempts = 3;
        var log = Path.Combine(folder, "server.log");
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var start = await PostgresUser.RunAsync(binDirectory, "pg_ctl", folder, CommandTimeout, ct,
                "-D", Path.Combine(folder, "data"), "-l", log, "-w", "-t", "60", "-o", $"-p {port}", "start");
            if (start.Succeeded)
            {
                return new PostgresCluster(binDirectory, folder, port);
            }

            var tail = LogTail(log);
            var portTaken = tail.Contains("could not bind", StringComparison.OrdinalIgnoreCase);
            if (!portTaken || attempt == attempts)
            {
                await PostgresUser.RunAsync(binDirectory, "pg_ctl", folder, CommandTimeout, CancellationToken.None,
                    "-D", Path.Combine(folder, "data"), "-m", "immediate", "stop");
                throw new InvalidOperationException(
                    $"PostgreSQL did not start: {start.Describe()}{Environment.NewLine}--- {log} (tail) ---{Environment.NewLine}{tail}");
            }
        }
    }

    private static async Task RunOrThrowAsync(string binDirectory, string folder, string tool, CancellationToken ct, params string[] arguments)
    {
        var result = await PostgresUser.RunAsync(binDirectory, tool, folder, CommandTimeout, ct, arguments);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"PostgreSQL {tool} failed: {result.Describe()}");
        }
    }

    private Task<ProcessResult> StopAsync(CancellationToken ct) =>
        PostgresUser.RunAsync(_binDirectory, "pg_ctl", Folder, TimeSpan.FromSeconds(30), ct,
            "-D", DataDirectory, "-m", "immediate", "-w", "stop");

    // A safety net for an assembly that forgot its [SetUpFixture] teardown: never leave a postmaster behind.
    private void StopOnProcessExit(object? sender, EventArgs e)
    {
        try
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception failure) when (failure is InvalidOperationException or TimeoutException)
        {
            // The process is exiting: there is no test left to report this to.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string LogTail(string log, int lines = 30) =>
        File.Exists(log) ? string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(lines)) : "(no server log written)";

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test run for.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
