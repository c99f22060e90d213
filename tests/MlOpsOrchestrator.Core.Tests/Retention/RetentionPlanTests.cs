using MlOpsOrchestrator.Retention;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Retention;

/// <summary>
/// Which versions garbage collection deletes: the newest N are kept, so is every version an alias points to now, every
/// version an alias pointed to within the window (moved to, or moved away from), and every version of a run that has
/// not ended; the rest goes.
/// </summary>
[TestFixture]
public sealed class RetentionPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    // Versions 1..10; production moved 1 (day -200) -> 4 (day -100) -> 6 (day -10); staging points to 2 now.
    private static readonly AliasChange[] History =
    [
        new("m", "production", 1, null, "deploy", null, Now.AddDays(-200)),
        new("m", "production", 4, 1, "deploy", null, Now.AddDays(-100)),
        new("m", "staging", 2, null, "alice", null, Now.AddDays(-150)),
        new("m", "production", 6, 4, "deploy", null, Now.AddDays(-10)),
    ];

    [TestCase(3, 90, new[] { 1, 3, 5, 7 }, TestName = "VersionsToDelete_Newest3_Window90d_KeepsAliasedNowAndMovedWithinTheWindow")]
    [TestCase(3, 5, new[] { 1, 3, 4, 5, 7 }, TestName = "VersionsToDelete_Newest3_Window5d_TheVersionProductionLeft10DaysAgoGoes")]
    [TestCase(3, 365, new[] { 3, 5, 7 }, TestName = "VersionsToDelete_Newest3_Window365d_EveryVersionAnAliasEverPointedToIsKept")]
    [TestCase(20, 1, new int[0], TestName = "VersionsToDelete_FewerVersionsThanKept_NothingGoes")]
    [TestCase(1, 1, new[] { 1, 3, 4, 5, 7, 8, 9 }, TestName = "VersionsToDelete_Newest1_Window1d_OnlyNewestAndCurrentAliasesStay")]
    public void VersionsToDelete_Table(int keepVersions, int aliasedDays, int[] expected)
    {
        var versions = Enumerable.Range(1, 10).Select(Version).ToList();
        var aliases = new Dictionary<string, int> { ["production"] = 6, ["staging"] = 2 };
        var rule = new RetentionSpec { KeepVersions = keepVersions, KeepAliasedFor = TimeSpan.FromDays(aliasedDays) };

        var doomed = RetentionPlan.VersionsToDelete(versions, aliases, History, new HashSet<string>(), rule, Now);

        Assert.That(doomed.Select(v => v.Version), Is.EqualTo(expected));
    }

    [Test]
    public void VersionsToDelete_VersionOfARunThatHasNotEnded_Kept()
    {
        var versions = Enumerable.Range(1, 4).Select(Version).ToList();
        var rule = new RetentionSpec { KeepVersions = 1, KeepAliasedFor = TimeSpan.FromDays(1) };

        var doomed = RetentionPlan.VersionsToDelete(versions, new Dictionary<string, int>(), [], new HashSet<string> { "run-2" }, rule, Now);

        Assert.That(doomed.Select(v => v.Version), Is.EqualTo(new[] { 1, 3 }));
    }

    private static ModelVersion Version(int n) => new()
    {
        Name = "m", Version = n, RunId = $"run-{n}", StepId = "deploy", PipelineVersion = "p", DataHash = "d", ArtifactPath = $"runs/run-{n}/train/model.zip",
        CreatedAt = Now.AddDays(n - 300),
    };
}
