using System.Net;
using System.Text;
using MlOpsOrchestrator.Integration.Tests.Cluster;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Feedback;

/// <summary>
/// The walkthrough of <c>samples/canary/README.md</c>, command by command, on the embedded default: the sample's data
/// is what <c>mlops sample-data</c> makes, v1 goes to production, v2 to a canary, requests go through a real
/// <c>mlops serve</c>, labels come back with <c>mlops feedback</c>, and <c>promote_when</c> moves production to v2.
/// </summary>
public sealed class CanarySampleTests
{
    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task KillProcesses() => _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

    [Test]
    public async Task Walkthrough_CanaryWinsOnFedBackLabels_PromoteWhenMovesProduction()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateEmbeddedAsync("canary_sample");
        var sample = RepositoryPaths.Combine("samples", "canary");
        foreach (var file in new[] { "baseline.yaml", "pipeline.yaml", "data/bike-rentals.csv", "data/requests.json", "data/labels.csv" })
        {
            File.Copy(Path.Combine(sample, file), Path.Combine(sandbox.Pipelines, file));
        }

        var generated = Path.Combine(sandbox.Root, "generated.csv");
        var data = await ClusterSandbox.CliAsync("sample-data", "bike-rentals", "--out", generated, "--rows", "1500");
        Assert.That(data.Exit, Is.Zero, data.Stderr);
        Assert.That(await File.ReadAllTextAsync(generated), Is.EqualTo(await File.ReadAllTextAsync(Path.Combine(sample, "data", "bike-rentals.csv"))),
            "the sample's data is what the README's sample-data command writes");

        var validate = await ClusterSandbox.CliAsync("validate", sandbox.Pipelines, "--data-root", sandbox.Root);
        var baseline = await ClusterSandbox.CliAsync(["run", Path.Combine(sandbox.Pipelines, "baseline.yaml"), .. sandbox.StateArguments]);
        var canary = await ClusterSandbox.CliAsync(["run", Path.Combine(sandbox.Pipelines, "pipeline.yaml"), .. sandbox.StateArguments]);
        Assert.That((validate.Exit, baseline.Exit, canary.Exit), Is.EqualTo((0, 0, 0)), validate.Stderr + baseline.Stderr + canary.Stderr);
        Assert.That(baseline.Stdout, Does.Contain("production → v1"));
        Assert.That(canary.Stdout, Does.Contain("canary → v2 (answers 50% by ts); production stays at v1"));

        var serve = await sandbox.StartServeAsync("serve", arguments: ["--promotion-interval", "2s"]);
        using (var content = new StringContent(await File.ReadAllTextAsync(Path.Combine(sandbox.Pipelines, "data", "requests.json")), Encoding.UTF8, "application/json"))
        using (var response = await serve.Http.PostAsync(new Uri("api/models/bike-demand/predict", UriKind.Relative), content))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"predictionId\""));
        }

        // The prediction log is written in batches: labels that arrive first are kept and counted once it is.
        var feedback = await ClusterSandbox.CliAsync(["feedback", "bike-demand", "--file", Path.Combine(sandbox.Pipelines, "data", "labels.csv"), .. sandbox.StateArguments]);
        Assert.That(feedback.Exit, Is.Zero, feedback.Stderr);
        Assert.That(feedback.Stdout, Does.Match(@"bike-demand: \d+ accepted, 0 duplicate\(s\) refused, \d+ unknown"));

        var promoted = await Poll.UntilAsync(
            async () => (await serve.GetJsonAsync("api/models/bike-demand"))["aliases"]!.ToJsonString() == """{"production":2}""", TimeSpan.FromSeconds(60));
        var online = await ClusterSandbox.CliAsync(["online", "bike-demand", "--window", "1h", .. sandbox.StateArguments]);
        var models = await ClusterSandbox.CliAsync(["models", "bike-demand", .. sandbox.StateArguments]);

        Assert.That(promoted, Is.True, $"production moved to the canary\n{online.Stdout}\n{models.Stdout}\n{serve.Output}");
        Assert.That(models.Stdout, Does.Contain("production: version 1 -> version 2 by promote_when (promote: canary v2 rmse")
            .And.Contain("canary: version 2 withdrawn by promote_when (withdraw: promoted to production: "));
        Assert.That(online.Stdout, Does.Contain("200 requests, 0 label(s) waiting"));
    }
}
