using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Integration.Tests.Cluster;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Feedback;

/// <summary>
/// Feedback and <c>promote_when</c> on a real <c>mlops serve</c> process with PostgreSQL: labels posted to the API
/// (with a duplicate and an unknown id among them) make a better canary replace production, a worse one be withdrawn,
/// and a canary whose time ran out be withdrawn by serve's timer, each move in the alias history as
/// <c>promote_when</c> with its numbers. The predictions are written to the log as serving writes them, with ids.
/// </summary>
[Category("cluster")]
public sealed class PromoteWhenProcessTests
{
    private static readonly DateTimeOffset Moved = DateTimeOffset.UtcNow.AddMinutes(-5);

    private ClusterSandbox? _sandbox;

    [TearDown]
    public async Task KillProcesses() => _sandbox = await ClusterSandbox.EndTestAsync(_sandbox);

    private static string Pipeline(string model, string within) => $$"""
        version: 1
        name: {{model}}
        data:
          source: { type: csv, path: data/fare.csv }
          label: fare
        steps:
          - id: prep
            kind: data_prep
          - id: train
            kind: train
            needs: prep
            task: regression
            trainer: sdca
          - id: deploy
            kind: deploy
            needs: train
            automated: false
            strategy: canary
            traffic: 50%
            promote_when: { metric: rmse, better_by: 5%, min_labels: 60, within: {{within}} }
        """;

    /// <summary>Two versions, production at 1 and canary at 2 (moved five minutes ago), and 80 answered requests each, all scored.</summary>
    private static async Task SeedAsync(StorageSet stores, string model, double productionError, double canaryError)
    {
        foreach (var run in new[] { "run-1", "run-2" })
        {
            await stores.Registry.RegisterAsync(new ModelVersion
            {
                Name = model, Version = 0, RunId = run, StepId = "deploy", PipelineVersion = "v", DataHash = "h", ArtifactPath = $"{model}/{run}.zip",
                Metrics = new Dictionary<string, double> { ["rmse"] = 1 }, Properties = new Dictionary<string, string> { ["task"] = "regression" },
                CreatedAt = Moved.AddMinutes(-10),
            }, CancellationToken.None);
        }

        await stores.Registry.MoveAliasAsync(model, "production", 1, "deploy", null, Moved.AddMinutes(-1), CancellationToken.None);
        await stores.Registry.MoveAliasAsync(model, "canary", 2, "deploy", null, Moved, CancellationToken.None);
        var answers = new List<PredictionRecord>();
        for (var i = 0; i < 160; i++)
        {
            var canary = i % 2 == 1;
            var error = (canary ? canaryError : productionError) * (i % 4 < 2 ? 1 : -1);
            answers.Add(new PredictionRecord(
                model, canary ? 2 : 1, Moved.AddSeconds(10 + i), "{\"x\":1}", $"{{\"score\":{(10 + i + error).ToString(CultureInfo.InvariantCulture)}}}", 3,
                canary ? "canary" : "production", $"{model}-p{i}"));
        }

        await stores.Predictions.AppendAsync(answers, CancellationToken.None);
    }

    private static string Labels(string model) =>
        "[" + string.Join(",", Enumerable.Range(0, 160).Select(i => $$"""{ "predictionId": "{{model}}-p{{i}}", "label": {{10 + i}} }""")) + "]";

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(ServeProcess serve, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await serve.Http.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Test]
    public async Task Feedback_BetterCanaryPromoted_WorseWithdrawn_ExpiredWithdrawnByTheTimer_EachAudited()
    {
        var sandbox = _sandbox = await ClusterSandbox.CreateAsync("feedback_promote");
        await File.WriteAllTextAsync(Path.Combine(sandbox.DataFolder, "fare.csv"), "x,fare\n1,2\n2,4\n3,6\n");
        sandbox.WritePipeline("fare-win", Pipeline("fare-win", "7d"));
        sandbox.WritePipeline("fare-lose", Pipeline("fare-lose", "7d"));
        sandbox.WritePipeline("fare-slow", Pipeline("fare-slow", "3m"));
        await using (var stores = await MlOpsStorage.OpenPostgresAsync(sandbox.ConnectionString, sandbox.Home, CancellationToken.None))
        {
            await SeedAsync(stores, "fare-win", productionError: 2.0, canaryError: 1.0);
            await SeedAsync(stores, "fare-lose", productionError: 1.0, canaryError: 2.0);
            await SeedAsync(stores, "fare-slow", productionError: 1.0, canaryError: 1.0);
        }

        var serve = await sandbox.StartServeAsync("serve", arguments: ["--promotion-interval", "1s"]);

        // Unknown model, bad shapes: clear answers, nothing stored.
        Assert.That((await PostAsync(serve, "api/models/no-such/feedback", """{ "predictionId": "x", "label": 1 }""")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        var (badStatus, bad) = await PostAsync(serve, "api/models/fare-win/feedback", """[{ "predictionId": "fare-win-p0", "label": 1 }, { "predictionId": "fare-win-p1" }]""");
        Assert.That((badStatus, bad!["error"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.BadRequest, "item 1: 'label' is required: the true outcome (a number, a class name or true/false)")));
        var (refusedStatus, refused) = await PostAsync(serve, "api/models/fare-win/withdraw", """{ "alias": "production" }""");
        Assert.That(refusedStatus, Is.EqualTo(HttpStatusCode.BadRequest), refused?.ToJsonString());

        // The winner: 160 labels, one sent twice, one for a prediction never logged.
        var winBody = Labels("fare-win")[..^1] + """, { "predictionId": "fare-win-p0", "label": 99 }, { "predictionId": "fare-win-late", "label": 5 }]""";
        var (winStatus, win) = await PostAsync(serve, "api/models/fare-win/feedback", winBody);
        Assert.That(winStatus, Is.EqualTo(HttpStatusCode.OK), win?.ToJsonString());
        Assert.That((win!["accepted"]!.GetValue<int>(), win["duplicates"]!.GetValue<int>(), win["unknown"]!.GetValue<int>()), Is.EqualTo((160, 1, 1)));
        Assert.That(win["results"]![160]!["status"]!.GetValue<string>(), Is.EqualTo("duplicate"));
        Assert.That(win["results"]![161]!["status"]!.GetValue<string>(), Is.EqualTo("unknown"));

        var (loseStatus, lose) = await PostAsync(serve, "api/models/fare-lose/feedback", Labels("fare-lose"));
        Assert.That(loseStatus, Is.EqualTo(HttpStatusCode.OK), lose?.ToJsonString());

        var slowWithdrawn = await Poll.UntilAsync(async () => (await serve.GetJsonAsync("api/models/fare-slow"))["aliases"]!.AsObject().Count == 1, TimeSpan.FromSeconds(60));
        var winModel = await serve.GetJsonAsync("api/models/fare-win");
        var loseModel = await serve.GetJsonAsync("api/models/fare-lose");
        var slowModel = await serve.GetJsonAsync("api/models/fare-slow");
        var online = await serve.GetJsonAsync("api/models/fare-win/online?window=1h");

        Assert.Multiple(() =>
        {
            Assert.That(winModel["aliases"]!.ToJsonString(), Is.EqualTo("""{"production":2}"""), "the better canary replaced production");
            var winMoves = Moves(winModel);
            Assert.That(winMoves[^2], Does.StartWith("production 2 promote_when promote: canary v2 rmse 1 vs production v1 2 (50% better, needs 5%) on 80 and 80"));
            Assert.That(winMoves[^1], Does.StartWith("canary 2 removed promote_when withdraw: promoted to production"));

            Assert.That(loseModel["aliases"]!.ToJsonString(), Is.EqualTo("""{"production":1}"""), "the worse canary never served production");
            var loseMoves = Moves(loseModel);
            Assert.That(loseMoves.Where(m => m.StartsWith("production 2", StringComparison.Ordinal)), Is.Empty);
            Assert.That(loseMoves[^1], Does.StartWith("canary 2 removed promote_when withdraw: worse than production: canary v2 rmse 2 vs production v1 1 (-100% better"));

            Assert.That(slowWithdrawn, Is.True, "serve's timer withdrew the canary that had no win within 3m");
            Assert.That(Moves(slowModel)[^1], Does.StartWith("canary 2 removed promote_when withdraw: not better by enough yet").Or.StartWith("canary 2 removed promote_when withdraw: no win within 3m"));

            var production = online["versions"]!.AsArray().Single(v => v!["alias"]!.GetValue<string>() == "production" && v["version"]!.GetValue<int>() == 1)!;
            Assert.That(production["labelled"]!.GetValue<long>(), Is.EqualTo(80));
            Assert.That(production["metrics"]!["rmse"]!.GetValue<double>(), Is.EqualTo(2).Within(1e-9));
            Assert.That(online["waitingLabels"]!.GetValue<int>(), Is.EqualTo(1), "the label for a prediction never logged is kept and reported");
        });
    }

    private static List<string> Moves(JsonNode model) =>
    [
        .. model["aliasHistory"]!.AsArray().Select(h =>
            $"{h!["alias"]} {h["version"]} {(h["removed"]!.GetValue<bool>() ? "removed " : "")}{h["by"]} {h["reason"]}"),
    ];
}
