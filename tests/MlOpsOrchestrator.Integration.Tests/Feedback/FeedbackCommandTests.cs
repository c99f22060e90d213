using System.Globalization;
using MlOpsOrchestrator.Integration.Tests.Cluster;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Feedback;

/// <summary>
/// <c>mlops feedback</c>, <c>mlops online</c> and <c>mlops withdraw</c> on the embedded default: a file with mistakes is
/// refused whole with every line number, a good one stores labels (duplicates refused, unknown ids kept) and the
/// online metrics count them; production cannot be withdrawn, a canary can.
/// </summary>
public sealed class FeedbackCommandTests
{
    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task Dispose() => _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

    [Test]
    public async Task FeedbackOnlineWithdraw_FromTheCommandLine()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateEmbeddedAsync("feedback_cli");
        var now = DateTimeOffset.UtcNow;
        await using (var stores = await MlOpsStorage.OpenSqliteAsync(sandbox.Home, CancellationToken.None))
        {
            foreach (var run in new[] { "run-1", "run-2" })
            {
                await stores.Registry.RegisterAsync(new ModelVersion
                {
                    Name = "fare", Version = 0, RunId = run, StepId = "deploy", PipelineVersion = "v", DataHash = "h", ArtifactPath = $"fare/{run}.zip",
                    Metrics = new Dictionary<string, double>(), Properties = new Dictionary<string, string>(), CreatedAt = now.AddHours(-2),
                }, CancellationToken.None);
            }

            await stores.Registry.MoveAliasAsync("fare", "production", 1, "deploy", null, now.AddHours(-1), CancellationToken.None);
            await stores.Registry.MoveAliasAsync("fare", "canary", 2, "deploy", null, now.AddHours(-1), CancellationToken.None);
            await stores.Predictions.AppendAsync(
            [
                new PredictionRecord("fare", 1, now.AddMinutes(-30), "{}", "{\"score\":12}", 5, "production", "p-1", "rider-7"),
                new PredictionRecord("fare", 2, now.AddMinutes(-20), "{}", "{\"score\":9}", 7, "canary", "p-2"),
            ], CancellationToken.None);
        }

        var bad = Path.Combine(sandbox.Root, "bad.csv");
        await File.WriteAllTextAsync(bad, "prediction_id,label\np-1,10\n,11\np-2\n\np-3,\n");
        var good = Path.Combine(sandbox.Root, "labels.csv");
        await File.WriteAllTextAsync(good, "prediction_id,label\np-1,10\np-1,99\np-2,10\np-404,3\n");
        var byKey = Path.Combine(sandbox.Root, "by-key.csv");
        await File.WriteAllTextAsync(byKey, $"key,timestamp,label\nrider-7,{now.AddMinutes(-29).UtcDateTime.ToString("O", CultureInfo.InvariantCulture)},10\n");

        var refused = await ClusterSandbox.CliAsync(["feedback", "fare", "--file", bad, .. sandbox.StateArguments]);
        var stored = await ClusterSandbox.CliAsync(["feedback", "fare", "--file", good, .. sandbox.StateArguments]);
        var duplicateByKey = await ClusterSandbox.CliAsync(["feedback", "fare", "--file", byKey, .. sandbox.StateArguments]);
        var unknownModel = await ClusterSandbox.CliAsync(["feedback", "taxi", "--file", good, .. sandbox.StateArguments]);
        var online = await ClusterSandbox.CliAsync(["online", "fare", "--window", "1h", .. sandbox.StateArguments]);
        var production = await ClusterSandbox.CliAsync(["withdraw", "fare", "--alias", "production", .. sandbox.StateArguments]);
        var canary = await ClusterSandbox.CliAsync(["withdraw", "fare", "--alias", "canary", "--reason", "slower", .. sandbox.StateArguments]);
        var models = await ClusterSandbox.CliAsync(["models", "fare", .. sandbox.StateArguments]);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Exit, Is.EqualTo(2));
            Assert.That(refused.Stderr, Does.Contain("bad.csv:3: the prediction id is empty").And.Contain("bad.csv:4: 1 fields, the header has 2")
                .And.Contain("bad.csv:6: the label is empty").And.Contain("nothing stored: 3 problem(s)"));
            Assert.That(stored.Exit, Is.Zero, stored.Stderr);
            Assert.That(stored.Stdout.Trim(), Is.EqualTo("fare: 2 accepted, 1 duplicate(s) refused, 1 unknown (kept until their prediction is logged)"));
            Assert.That(stored.Stderr, Does.Contain("duplicate: label 2: prediction 'p-1' already has a label"));
            Assert.That(duplicateByKey.Stdout.Trim(), Is.EqualTo("fare: 0 accepted, 1 duplicate(s) refused, 0 unknown (kept until their prediction is logged)"), "the key finds p-1, labelled already");
            Assert.That(unknownModel.Exit, Is.EqualTo(2));
            Assert.That(unknownModel.Stderr, Does.Contain("no model named 'taxi'"));
            Assert.That(online.Stdout, Does.Contain("2 requests, 1 label(s) waiting for their prediction"));
            Assert.That(online.Stdout, Does.Match(@"production\s+v1\s+share 50%\s+requests 1\s+labelled 1\s+rmse=2 mae=2\s+p50 5 ms\s+p99 5 ms"));
            Assert.That(online.Stdout, Does.Match(@"canary\s+v2\s+share 50%\s+requests 1\s+labelled 1\s+rmse=1 mae=1\s+p50 7 ms\s+p99 7 ms"));
            Assert.That((production.Exit, canary.Exit), Is.EqualTo((2, 0)), production.Stderr + canary.Stderr);
            Assert.That(production.Stderr, Does.Contain("error: --alias: 'production' cannot be withdrawn"));
            Assert.That(canary.Stdout.Trim(), Is.EqualTo("fare canary: version 2 withdrawn"));
            Assert.That(models.Stdout, Does.Contain("aliases: production -> 1\n").And.Contain("canary: version 2 withdrawn by ").And.Contain("(withdraw: slower)"));
        });
    }
}
