using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The raw engine of <c>fire-to-start</c>: Quartz alone, configured as the product configures it (clustered ADO.NET
/// store on PostgreSQL, 5 s check-in, 5 s misfire threshold, System.Text.Json serializer, default thread pool and
/// trigger acquisition), with one cron trigger per fire time whose job does nothing but note when it ran.
/// </summary>
internal static class RawQuartzFires
{
    private const string Group = "raw";

    /// <summary>What each execution saw: the trigger, its scheduled fire time and when the job started.</summary>
    public sealed record Fire(string Trigger, DateTimeOffset Scheduled, DateTimeOffset Executed);

    public sealed record Result(IReadOnlyList<Fire> Fires, TimeSpan SchedulingTime, TimeSpan CpuTime);

    /// <summary>Schedules one cron trigger per entry of <paramref name="triggers"/>, starts the scheduler and collects the fires until <paramref name="until"/>.</summary>
    public static async Task<Result> RunAsync(string connectionString, IReadOnlyList<(string Name, string Cron)> triggers, DateTimeOffset until, CancellationToken ct)
    {
        RecordFireJob.Fires.Clear();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "raw-quartz";
                o.GenerateInstanceId = true;
            });
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(5);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(5);
                });
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                store.ConfigureStore(o => o.MisfireThreshold = TimeSpan.FromSeconds(5));
            });
        });
        await using var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await scheduler.Start(ct);
            foreach (var (name, cron) in triggers)
            {
                var job = JobBuilder.Create<RecordFireJob>().WithIdentity(name, Group).Build();
                var trigger = TriggerBuilder.Create()
                    .WithIdentity(name, Group)
                    .ForJob(job)
                    .WithCronSchedule(cron, b => b.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                    .Build();
                await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
            }

            var scheduling = clock.Elapsed;
            var wait = until - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            var used = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
            return new Result([.. RecordFireJob.Fires], scheduling, used);
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, CancellationToken.None);
        }
    }

    /// <summary>Notes the scheduled fire time and the moment the job started; nothing else.</summary>
    internal sealed class RecordFireJob : IJob
    {
        public static readonly ConcurrentQueue<Fire> Fires = new();

        public ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
        {
            var executed = DateTimeOffset.UtcNow;
            Fires.Enqueue(new Fire(context.Trigger.Key.Name, (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUniversalTime(), executed));
            return ValueTask.CompletedTask;
        }
    }
}
