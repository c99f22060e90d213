using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>
/// Embedded mode keeps the run queue in memory. A run that was queued when <c>serve</c> stopped must not stay
/// pending for ever: the next <c>serve</c> on the same home queues it again and executes it.
/// </summary>
public sealed class EmbeddedQueueRecoveryTests
{
    [Test]
    public async Task Restart_RunLeftPendingByThePreviousProcess_IsQueuedAgainAndExecuted()
    {
        await using var serve = await ServeHarness.StartAsync();

        // A run recorded as queued whose job never reached the queue: what a stop between the two leaves behind.
        var entry = serve.Services.GetRequiredService<PipelineCatalog>().Find(ServeHarness.Pipeline)!;
        var (run, _) = await serve.Services.GetRequiredService<RunLauncher>()
            .LaunchAsync(new RunRequest { Definition = entry.Definition!, Yaml = entry.Yaml!, Trigger = "api" }, CancellationToken.None);
        var (_, before) = await serve.GetAsync($"/api/runs/{run.RunId}");
        Assert.That(before!["status"]!.GetValue<string>(), Is.EqualTo("pending"));

        await serve.RestartAsync();

        var after = await serve.WaitForRunAsync(run.RunId, "awaiting_approval", "failed");
        Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"), after.ToJsonString());
    }
}
