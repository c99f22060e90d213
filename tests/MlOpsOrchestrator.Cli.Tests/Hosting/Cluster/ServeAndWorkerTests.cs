using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using MlOpsOrchestrator.Cli.Hosting;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using Serilog.Events;

namespace MlOpsOrchestrator.Cli.Tests.Hosting.Cluster;

/// <summary>
/// The cluster shape on PostgreSQL: a <c>serve</c> that takes no runs itself (it listens on a queue nobody uses) and a
/// <c>worker</c> on the same database and home. A run started and approved through serve's API is executed, both
/// times, by the worker: the queue and the run history are shared, and the artifacts folder is the same.
/// </summary>
[Category("Postgres")]
[NonParallelizable]
public sealed class ServeAndWorkerTests
{
    [Test]
    public async Task RunStartedOnServe_IsExecutedAndContinuedByTheWorker()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var database = await server.CreateDatabaseAsync("serve_worker");
        await using var serve = await ServeHarness.StartAsync(postgres: database, queues: ["serve-only"]);
        var workerSettings = serve.Settings with { Role = HostRole.Worker, Queues = ["default"], ConsoleLogLevel = LogEventLevel.Warning };
        using var worker = WorkerHost.Build(workerSettings);
        await worker.StartAsync();
        try
        {
            var (health, healthBody) = await serve.GetAsync("/health");
            Assert.That(health, Is.EqualTo(HttpStatusCode.OK), healthBody?.ToJsonString());
            Assert.That(healthBody!["storageMode"]!.GetValue<string>(), Is.EqualTo("postgresql"));

            var runId = await serve.RunToApprovalAsync();
            var (approved, _) = await serve.PostAsync($"/api/runs/{runId}/steps/deploy/approve", """{ "by": "carol" }""");
            Assert.That(approved, Is.EqualTo(HttpStatusCode.Accepted));
            var final = await serve.WaitForRunAsync(runId, "succeeded", "failed", "cancelled");
            Assert.That(final["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), final.ToJsonString());

            var executedBy = LogFile.Lines(serve.Settings.LogsFolder)
                .Select(l => JsonNode.Parse(l)!)
                .Where(e => e["RunId"]?.GetValue<string>() == runId && e["StepId"] is not null)
                .Select(e => e["Role"]!.GetValue<string>())
                .Distinct()
                .ToList();
            Assert.That(executedBy, Is.EqualTo(new[] { "worker" }), "every step ran in the worker, none in serve");

            var (predicted, prediction) = await serve.PostAsync($"/api/models/{ServeHarness.Pipeline}/predict",
                """{ "tenure_months": 2, "monthly_charges": 95.5, "contract": "monthly", "payment": "check", "support_calls": 6, "outages": 4, "last_note": "outage again" }""");
            Assert.That(predicted, Is.EqualTo(HttpStatusCode.OK), "serve scores with the model the worker wrote to the shared artifacts: " + prediction?.ToJsonString());
        }
        finally
        {
            await worker.StopAsync();
        }
    }
}
