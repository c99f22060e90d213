using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using Hangfire.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Hangfire;

/// <summary>How the stock dashboard names a run's job: the readable run id, the trigger and the level, from the run store.</summary>
[TestFixture]
public sealed class RunJobDisplayNameAttributeTests
{
    [Test]
    public async Task Format_KnownRun_NamesRunTriggerAndLevel()
    {
        using var world = await ChurnWorld.CreateAsync();
        await using var storage = await MlOpsStorage.OpenSqliteAsync(world.Home, CancellationToken.None);
        var (run, _) = await new RunLauncher(storage.Runs, TimeProvider.System).LaunchAsync(world.Request(ChurnWorld.Auto, "nightly"), CancellationToken.None);
        await using var services = new ServiceCollection().AddSingleton(storage.Runs).BuildServiceProvider();

        var name = new RunJobDisplayNameAttribute().Format(Context(services), Job(run.RunId));

        Assert.That(name, Is.EqualTo($"run {run.RunId} · trigger nightly · level 3 (Automated deployment)"));
        Assert.That(run.RunId, Does.Match(@"^churn-auto-\d{8}-\d{6}-[0-9a-f]{8}$"), "the id alone already says which pipeline and when");
    }

    [Test]
    public async Task Format_UnknownRunOrNoRunStore_FallsBackToTheRunId()
    {
        using var world = await ChurnWorld.CreateAsync();
        await using var storage = await MlOpsStorage.OpenSqliteAsync(world.Home, CancellationToken.None);
        await using var withStore = new ServiceCollection().AddSingleton(storage.Runs).BuildServiceProvider();
        await using var withoutStore = new ServiceCollection().BuildServiceProvider();
        var attribute = new RunJobDisplayNameAttribute();

        Assert.That(attribute.Format(Context(withStore), Job("gone-20260101-000000-0000")), Is.EqualTo("run gone-20260101-000000-0000 (unknown run)"));
        Assert.That(attribute.Format(Context(withoutStore), Job("other-20260101-000000-0000")), Is.EqualTo("run other-20260101-000000-0000"));
    }

    private static Job Job(string runId) => global::Hangfire.Common.Job.FromExpression<RunJob>(j => j.ExecuteAsync(runId, CancellationToken.None));

    private static AspNetCoreDashboardContext Context(IServiceProvider services) =>
        new(new UnusedStorage(), new DashboardOptions { IgnoreAntiforgeryToken = true }, new DefaultHttpContext { RequestServices = services });

    private sealed class UnusedStorage : JobStorage
    {
        public override IMonitoringApi GetMonitoringApi() => throw new NotSupportedException();

        public override IStorageConnection GetConnection() => throw new NotSupportedException();
    }
}
