using System.Net;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Hosting;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using Serilog.Events;

namespace MlOpsOrchestrator.Cli.Tests.Hosting.Cluster;

/// <summary>
/// A run started on <c>serve</c> and executed by a <c>worker</c> (PostgreSQL queue) is one trace: the job carries the
/// W3C traceparent of the request that queued it, and the worker's run and step spans continue it, so the request's
/// log line in serve and the step lines in the worker carry the same trace id.
/// </summary>
[Category("Postgres")]
[NonParallelizable]
public sealed class RunTraceAcrossProcessesTests
{
    [Test]
    public async Task RunQueuedOnServe_WorkerStepsContinueTheRequestsTrace()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var database = await server.CreateDatabaseAsync("run_trace");
        await using var serve = await ServeHarness.StartAsync(postgres: database, queues: ["serve-only"]);
        var workerSettings = serve.Settings with { Role = HostRole.Worker, Queues = ["default"], ConsoleLogLevel = LogEventLevel.Warning };
        using var worker = WorkerHost.Build(workerSettings);
        await worker.StartAsync();
        try
        {
            var runId = await serve.RunToApprovalAsync();
            var events = LogFile.Lines(serve.Settings.LogsFolder).Select(l => JsonNode.Parse(l)!).ToList();
            var request = events.Single(e => e["RequestMethod"]?.GetValue<string>() == "POST"
                && e["RequestPath"]?.GetValue<string>() == $"/api/pipelines/{ServeHarness.Pipeline}/runs");
            var steps = events.Where(e => e["RunId"]?.GetValue<string>() == runId && e["StepId"] is not null).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(request["Role"]!.GetValue<string>(), Is.EqualTo("serve"));
                Assert.That(request["@tr"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "the request that queued the run has a trace");
                Assert.That(steps.Select(e => e["Role"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "worker" }), "the steps ran in the worker");
                Assert.That(steps.Select(e => e["@tr"]?.GetValue<string>()).Distinct(), Is.EqualTo(new[] { request["@tr"]!.GetValue<string>() }),
                    "every step line in the worker continues the request's trace");
            });

            var (rejected, _) = await serve.PostAsync($"/api/runs/{runId}/steps/deploy/reject", """{ "reason": "only checking the trace" }""");
            Assert.That(rejected, Is.EqualTo(HttpStatusCode.Accepted));
        }
        finally
        {
            await worker.StopAsync();
        }
    }
}
