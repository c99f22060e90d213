using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Cli.Hosting;
using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>
/// <c>AddMlOps</c> composes the product only with a storage mode, a run dispatcher and an executor for every step kind,
/// and says which builder call adds what is missing; a service a step executor needs that nobody registered fails the
/// container's build, not the step.
/// </summary>
[TestFixture]
public sealed class MlOpsCompositionTests
{
    private string _home = null!;

    [SetUp]
    public void SetUp() => _home = Directory.CreateTempSubdirectory("mlops-compose-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_home, recursive: true);

    [Test]
    public void AddMlOps_WithoutStorage_FailsNamingTheStorageCalls()
    {
        var ex = Assert.Throws<MlOpsCompositionException>(() => new ServiceCollection().AddMlOps(b => b.UseInProcess()));

        Assert.That(ex!.Problems, Is.EqualTo(new[]
        {
            "no storage chosen: call UseSqlite(home) for the embedded mode, UsePostgres(connectionString, home) for a cluster, or UseStorage(storage) for stores already open",
        }));
        Assert.That(ex.Message, Does.StartWith("AddMlOps cannot compose the product: no storage chosen"));
    }

    [Test]
    public void AddMlOps_WithoutDispatcher_FailsNamingTheDispatcherCalls()
    {
        var ex = Assert.Throws<MlOpsCompositionException>(() => new ServiceCollection().AddMlOps(b => b.UseSqlite(_home)));

        Assert.That(ex!.Problems, Is.EqualTo(new[]
        {
            "no run dispatcher chosen: call UseHangfire(settings) for serve and worker or UseInProcess() for a one-shot command",
        }));
    }

    [Test]
    public void AddMlOps_NothingChosen_ListsEveryProblemAtOnce()
    {
        var ex = Assert.Throws<MlOpsCompositionException>(() => new ServiceCollection().AddMlOps(_ => { }));

        Assert.That(ex!.Problems, Has.Count.EqualTo(2));
        Assert.That(ex.Problems, Has.Some.StartsWith("no storage chosen").And.Some.StartsWith("no run dispatcher chosen"));
    }

    [Test]
    public void AddMlOps_TwoStoragesAndTwoDispatchers_FailsAskingForOneOfEach()
    {
        var ex = Assert.Throws<MlOpsCompositionException>(() => new ServiceCollection().AddMlOps(b => b
            .UseSqlite(_home).UsePostgres("Host=127.0.0.1", _home).UseInProcess().UseHangfire(new ExecutionSettings())));

        Assert.That(ex!.Problems, Is.EqualTo(new[]
        {
            "storage chosen 2 times (UseSqlite, UsePostgres): call one of UseSqlite, UsePostgres or UseStorage once",
            "run dispatcher chosen 2 times (UseInProcess, UseHangfire): call one of UseHangfire or UseInProcess once",
        }));
    }

    [Test]
    public void Problems_StepKindWithoutExecutor_NamesItAndTheCallThatAddsOne()
    {
        var problems = MlOpsBuilder.Problems(["UseSqlite"], ["UseInProcess"], Enum.GetValues<StepKind>().Where(k => k != StepKind.Monitor));

        Assert.That(problems, Is.EqualTo(new[] { "no executor for step kind Monitor: register one with UseStepExecutor<TExecutor>(StepKind)" }));
    }

    [Test]
    public async Task AddMlOps_Composed_BuildsAndExecutesEveryStepKind()
    {
        await using var services = new ServiceCollection()
            .AddMlOps(b => b.UseSqlite(_home).UseInProcess())
            .BuildMlOpsServiceProvider();
        await services.OpenMlOpsStorageAsync(CancellationToken.None);

        var kinds = services.GetServices<IStepExecutor>().Select(e => e.Kind).ToList();

        Assert.That(kinds, Is.EquivalentTo(Enum.GetValues<StepKind>()));
        Assert.That(services.GetRequiredService<RunExecutor>(), Is.Not.Null);
        Assert.That(services.GetRequiredService<IRunDispatcher>(), Is.SameAs(services.GetRequiredService<InProcessRunDispatcher>()));
    }

    [Test]
    public void BuildMlOpsServiceProvider_ExecutorNeedsAServiceNobodyRegistered_FailsAtBuildNamingIt()
    {
        var services = new ServiceCollection().AddMlOps(b => b.UseSqlite(_home).UseInProcess().UseStepExecutor<NeedsAnUnregisteredService>(StepKind.Train));

        var ex = Assert.Throws<AggregateException>(() => services.BuildMlOpsServiceProvider());

        Assert.That(ex!.Message, Does.Contain(nameof(IUnregistered)).And.Contain(nameof(NeedsAnUnregisteredService)));
    }

    [Test]
    public async Task UseStorage_StoresTheCallerOpened_AreLeftOpenWhenTheContainerIsDisposed()
    {
        await using var storage = await Storage.MlOpsStorage.OpenSqliteAsync(_home, CancellationToken.None);
        var services = new ServiceCollection().AddMlOps(b => b.UseStorage(storage).UseInProcess()).BuildMlOpsServiceProvider();
        await services.OpenMlOpsStorageAsync(CancellationToken.None);
        Assert.That(services.GetRequiredService<IRunRepository>(), Is.SameAs(storage.Runs));

        await services.DisposeAsync();

        Assert.That(await storage.PingAsync(CancellationToken.None), Is.True);
    }

    /// <summary>A service no composition registers.</summary>
    public interface IUnregistered;

    private sealed class NeedsAnUnregisteredService(IUnregistered unregistered) : IStepExecutor
    {
        public StepKind Kind => StepKind.Train;

        public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct) =>
            Task.FromResult(StepOutcome.Failed($"never executed: {unregistered}"));
    }
}
