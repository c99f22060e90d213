using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>The CLI holds names and values to the same rule as the API and the dashboard: refused with the reason, nothing stored.</summary>
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed class MalformedOptionsTests
{
    private static string PipelineFile => RepositoryPaths.Combine("samples", "bike-rentals", "pipeline.yaml");

    [TestCase("=x", "KEY=VALUE")]
    [TestCase("a b=x", "'a b' is not a valid name")]
    [TestCase("note=a\u0001b", "control character U+0001")]
    [TestCase("note=a\0b", "NUL character")]
    public async Task RunWithMalformedParam_FailsWithBadInputAndStartsNoRun(string param, string expected)
    {
        using var session = await CliSession.OpenAsync(StorageEngine.Sqlite, dataRoot: RepositoryPaths.Root);
        var result = await session.RunAsync("run", PipelineFile, "--param", param);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain("--param").And.Contain(expected));
        });
        var runs = await session.RunAsync("runs");
        Assert.That(runs.Stdout, Does.Not.Contain("bike-rentals"), "no run was started");
    }

    [Test]
    public async Task RunWithATriggerThePipelineDoesNotHave_FailsWithBadInputNamingItsTriggersAndStartsNoRun()
    {
        using var session = await CliSession.OpenAsync(StorageEngine.Sqlite, dataRoot: RepositoryPaths.Root);
        var result = await session.RunAsync("run", PipelineFile, "--trigger", "hourly");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain("error: pipeline 'bike-rentals-quickstart' has no trigger 'hourly'; its triggers: nightly"));
        });
        var runs = await session.RunAsync("runs");
        Assert.That(runs.Stdout, Does.Not.Contain("bike-rentals"), "no run was started");
    }

    [TestCase("a b")]
    [TestCase("prod\u0000")]
    [TestCase("")]
    public async Task PromoteToMalformedAlias_FailsWithBadInput(string alias)
    {
        using var session = await CliSession.OpenAsync(StorageEngine.Sqlite);
        var result = await session.RunAsync("promote", "some-model", "1", "--alias", alias);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain("--alias"));
        });
    }

    [TestCase("promote", "some-model", "1")]
    [TestCase("rollback", "some-model")]
    public async Task MoveWithOverlongReason_FailsWithBadInputNamingTheOption(params string[] command)
    {
        using var session = await CliSession.OpenAsync(StorageEngine.Sqlite);
        var result = await session.RunAsync(command[0], [.. command[1..], "--reason", new string('x', 501)]);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain("--reason"));
        });
    }
}
