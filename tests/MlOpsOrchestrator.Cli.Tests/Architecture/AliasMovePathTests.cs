using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Dashboard;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Architecture;

/// <summary>
/// The API, the dashboard and the CLI move a model's aliases only through <see cref="IModelService"/>: no source of
/// theirs calls the registry's <c>MoveAliasAsync</c> or works out a rollback target itself, and the objects they get
/// their services from offer the model service.
/// </summary>
[TestFixture]
public sealed partial class AliasMovePathTests
{
    private static readonly string[] FrontEnds = ["src/MlOpsOrchestrator.Cli/Api", "src/MlOpsOrchestrator.Cli/Commands", "src/MlOpsOrchestrator.Dashboard"];

    [TestCaseSource(nameof(FrontEnds))]
    public void FrontEndSources_MoveNoAliasAroundTheModelService(string frontEnd)
    {
        var hits = Hits(RepositoryPaths.Combine(frontEnd.Split('/')));
        Assert.That(hits, Is.Empty);
    }

    [Test]
    public void TheScan_FindsAMove_WhereThereIsOne()
    {
        // The model service itself moves aliases and asks for the rollback target: the scan must see it.
        var hits = Hits(RepositoryPaths.Combine("src", "MlOpsOrchestrator.Core", "Execution"));
        Assert.That(hits, Has.Some.Contains("ModelService.cs").And.Some.Contains("MoveAliasAsync").And.Some.Contains("AliasRollback.Target"));
    }

    [Test]
    public void WhatTheFrontEndsGetServicesFrom_OffersTheModelService()
    {
        var dashboardServices = typeof(DashboardApplicationBuilderExtensions).Assembly.GetType("MlOpsOrchestrator.Dashboard.DashboardServices", throwOnError: true)!;
        foreach (var holder in new[] { typeof(MlOpsRuntime), dashboardServices })
        {
            Assert.That(holder.GetProperties().Select(p => p.PropertyType), Does.Contain(typeof(IModelService)), holder.Name);
        }
    }

    private static List<string> Hits(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (File: Path.GetFileName(file), Line: i + 1, Text: line)))
            .Where(l => Move().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

    [GeneratedRegex(@"\bMoveAliasAsync\b|\bAliasRollback\.Target\b")]
    private static partial Regex Move();
}
