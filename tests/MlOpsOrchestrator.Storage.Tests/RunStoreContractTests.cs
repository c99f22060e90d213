using System.Reflection;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// The run store contracts themselves: no member has a default body (a default is how a new store would silently lose a
/// guarantee, as an unfenced commit), and every implementation in the product is the one the run store suites
/// (RunStoreTests, RunStoreClaimTests, RunStoreExecutionTests, RunStoreUpdateTests) run against both engines.
/// </summary>
public sealed class RunStoreContractTests
{
    private static readonly Type[] Contracts = [typeof(IRunRepository), typeof(IRunExecutionStore)];

    [TestCaseSource(nameof(Contracts))]
    public void Contract_EveryMember_IsAbstract(Type contract)
    {
        var defaults = contract.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsAbstract)
            .Select(m => m.Name);

        Assert.That(defaults, Is.Empty, $"{contract.Name} must leave every member to the store");
    }

    [TestCaseSource(nameof(Contracts))]
    public void Contract_ImplementedInTheProduct_OnlyByTheStoreTheSuitesRunAgainst(Type contract)
    {
        var implementations = new[] { typeof(IRunRepository).Assembly, typeof(StorageSet).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && contract.IsAssignableFrom(t))
            .Select(t => t.FullName);

        Assert.That(implementations, Is.EqualTo(new[] { "MlOpsOrchestrator.Storage.Runs.SqlRunStore" }),
            "a new implementation must join the run store suites (StoreEngines) before it ships");
    }

    [Test]
    public async Task StorageSet_RunsAndRunExecution_AreOneStore()
    {
        var home = Directory.CreateTempSubdirectory("mlops-storage-contract-").FullName;
        try
        {
            await using var stores = await MlOpsStorage.OpenSqliteAsync(home, CancellationToken.None);

            Assert.That(stores.RunExecution, Is.SameAs(stores.Runs), "what one commits, the other reads back at once");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
