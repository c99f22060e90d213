using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using MlOpsOrchestrator.Scheduling.Hangfire;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The raw engine of <c>throughput</c>: plain Hangfire.PostgreSql with the product's storage options (50 ms queue poll,
/// no long polling, sliding 5-minute invisibility timeout) and serializer settings, running empty jobs. The queue is
/// filled first, then <c>servers</c> Hangfire servers of two workers each (the product's count per process on this
/// machine) drain it.
/// </summary>
internal static class RawHangfireDrain
{
    public sealed record Result(int Jobs, double EnqueuePerSecond, TimeSpan DrainWallTime, bool Drained, TimeSpan CpuTime, long Transactions, string MachineBusy);

    /// <summary>Enqueues <paramref name="jobs"/> empty jobs from <paramref name="clients"/> concurrent callers, then drains them with <paramref name="servers"/> servers.</summary>
    public static async Task<Result> RunAsync(string connectionString, int jobs, int servers, int workersPerServer, int clients, TimeSpan timeout, CancellationToken ct)
    {
        // Hangfire's activator and log provider are process-wide, and the product's container (ThroughputBenchmark
        // queues its runs through it) sets both to itself: after it is disposed they would fail every job.
        GlobalConfiguration.Configuration
            .UseActivator(new JobActivator())
            .UseLogProvider(new NoLogs())
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        var client = new BackgroundJobClient(Storage(connectionString));

        var fill = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() =>
        {
            while (Interlocked.Increment(ref next) < jobs)
            {
                client.Create(() => EmptyJob.Run(), new EnqueuedState(ExecutionSettings.DefaultQueue));
            }
        }, ct)));
        var enqueuePerSecond = jobs / fill.Elapsed.TotalSeconds;

        var transactions = await BenchDatabase.TransactionsAsync(connectionString, ct);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var machine = MachineCpu.Read();
        var drain = Stopwatch.StartNew();
        var running = Enumerable.Range(0, servers).Select(i => new BackgroundJobServer(
            new BackgroundJobServerOptions { WorkerCount = workersPerServer, Queues = [ExecutionSettings.DefaultQueue], ServerName = $"raw-{i}" },
            Storage(connectionString))).ToList();
        bool drained;
        TimeSpan wall, used;
        string busy;
        try
        {
            drained = await BenchDatabase.WaitUntilAsync(connectionString,
                "SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded'", jobs, timeout, ct);
            wall = drain.Elapsed;
            used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            busy = MachineCpu.Busy(machine, MachineCpu.Read());
        }
        finally
        {
            foreach (var server in running)
            {
                server.SendStop();
            }

            foreach (var server in running)
            {
                server.Dispose();
            }
        }

        return new Result(jobs, enqueuePerSecond, wall, drained, used, await BenchDatabase.TransactionsAsync(connectionString, ct) - transactions, busy);
    }

    private sealed class NoLogs : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
    {
        public Hangfire.Logging.ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }

    /// <summary>Exactly the product's storage options (<c>AddMlOpsExecution</c>).</summary>
    private static PostgreSqlStorage Storage(string connectionString)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            QueuePollInterval = ExecutionServiceCollectionExtensions.QueuePollInterval,
            PrepareSchemaIfNecessary = true,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = ExecutionServiceCollectionExtensions.InvisibilityTimeout,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options, null), options);
    }
}

/// <summary>The raw baseline's job: nothing. Public because Hangfire serializes the call.</summary>
public static class EmptyJob
{
    public static void Run()
    {
    }
}
