using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Storage;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Hangfire;

[TestFixture]
public sealed class ExecutionServiceCollectionExtensionsTests
{
    [Test]
    public void Validate_BadSettings_ListsEveryProblemAtOnce()
    {
        var settings = new ExecutionSettings { PostgresConnectionString = " ", WorkerCount = 0, Queues = ["default", "GPU queue"], SchemaName = "Hangfire" };

        var errors = settings.Validate();

        Assert.That(errors, Has.Count.EqualTo(4));
        Assert.That(string.Join("\n", errors), Does.Contain("WorkerCount 0").And.Contain("'GPU queue'").And.Contain("SchemaName 'Hangfire'").And.Contain("PostgresConnectionString"));
        var thrown = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddMlOpsExecution(settings));
        Assert.That(thrown!.Message, Does.Contain("WorkerCount 0").And.Contain("SchemaName 'Hangfire'"));
    }

    [Test]
    public void Defaults_AreOneWorkerPerCoreOnTheDefaultQueueInMemory()
    {
        var settings = new ExecutionSettings();

        Assert.Multiple(() =>
        {
            Assert.That(settings.Validate(), Is.Empty);
            Assert.That(settings.PostgresConnectionString, Is.Null);
            Assert.That(settings.WorkerCount, Is.EqualTo(Environment.ProcessorCount));
            Assert.That(settings.Queues, Is.EqualTo(new[] { "default" }));
            Assert.That(settings.SchemaName, Is.EqualTo("hangfire"));
        });
    }

    [TestCase(false, 0)]
    [TestCase(true, 1)]
    public void AddMlOpsExecution_RunServer_DecidesWhetherAHangfireServerRuns(bool runServer, int servers)
    {
        using var provider = new ServiceCollection().AddLogging().AddMlOpsExecution(new ExecutionSettings { RunServer = runServer }).BuildServiceProvider();

        Assert.That(provider.GetServices<IHostedService>().OfType<BackgroundJobServerHostedService>().Count(), Is.EqualTo(servers));
        Assert.That(provider.GetRequiredService<IRunDispatcher>(), Is.InstanceOf<HangfireRunDispatcher>());
    }

    [Test]
    public void AddMlOpsExecution_HostStartedAgainInTheSameProcess_GetsItsOwnStorageAndLogging()
    {
        // Hangfire's logging is process-wide; the first container's logger factory is disposed with it. The storage of
        // the next container must not be created (it logs) before Hangfire's logging points at the new container.
        JobStorage first;
        using (var provider = new ServiceCollection().AddLogging().AddMlOpsExecution(new ExecutionSettings()).BuildServiceProvider())
        {
            _ = provider.GetRequiredService<IBackgroundJobClient>();
            first = provider.GetRequiredService<JobStorage>();
        }

        using var again = new ServiceCollection().AddLogging().AddMlOpsExecution(new ExecutionSettings()).BuildServiceProvider();
        var second = again.GetRequiredService<JobStorage>();

        Assert.That(second, Is.Not.SameAs(first));
        Assert.That(JobStorage.Current, Is.SameAs(second));
        Assert.That(again.GetRequiredService<IBackgroundJobClient>(), Is.Not.Null);
    }

    [Test]
    public async Task EnqueueAsync_QueuesARunJobWhoseOnlyArgumentIsTheRunId()
    {
        using var world = await ChurnWorld.CreateAsync();
        await using var storage = await MlOpsStorage.OpenSqliteAsync(world.Home, CancellationToken.None);
        await using var provider = WorkerHost.Enqueuer(storage, world, new ExecutionSettings());
        var (run, _) = await provider.GetRequiredService<RunLauncher>().LaunchAsync(world.Request(ChurnWorld.Manual), CancellationToken.None);

        var jobId = await provider.GetRequiredService<IRunDispatcher>().EnqueueAsync(run, CancellationToken.None);

        using var connection = provider.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetJobData(jobId);
        Assert.Multiple(() =>
        {
            Assert.That(job.Job.Type, Is.EqualTo(typeof(RunJob)));
            Assert.That(job.Job.Method.Name, Is.EqualTo(nameof(RunJob.ExecuteAsync)));
            Assert.That(job.Job.Args[0], Is.EqualTo(run.RunId));
            Assert.That(job.Job.Args[1], Is.EqualTo(CancellationToken.None), "a placeholder Hangfire replaces with the worker's token");
            Assert.That(job.State, Is.EqualTo("Enqueued"));
        });
        var enqueued = provider.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 10);
        Assert.That(enqueued.Select(e => e.Key), Does.Contain(jobId));
    }
}
