using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// Shadow and canary deploys on real runs under <c>serve</c>, served over HTTP: production v1 by a replace deploy, a
/// shadow v2 (another trainer) that never changes an answer and is logged under the caller's ids, a canary v3 that
/// answers its share of customers and never switches a customer, and a candidate that fails the safety rule and is
/// not shadowed. The tests run in order: each deploy builds on the last.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DeployStrategyServingTests
{
    private const string Model = "churn-routes";
    private const double CanaryShare = 0.3;
    private const string Features = "[tenure_months, monthly_charges, contract, payment, support_calls, outages, last_note]";

    private const int Customers = 20_000;

    private ServeHarness _serve = null!;
    private List<JsonObject> _rows = null!;
    private List<Answer> _withoutShadow = null!;
    private List<Answer> _withShadow = null!;
    private IReadOnlyDictionary<string, Logged> _shadowLogged = null!;
    private IReadOnlyDictionary<string, Logged> _returnedLogged = null!;
    private JsonNode _shadowRun = null!;
    private JsonNode _canaryRun = null!;
    private JsonNode _canaryModel = null!;
    private IReadOnlyDictionary<string, string> _firstPass = null!;
    private IReadOnlyDictionary<string, string> _secondPass = null!;
    private JsonNode _unsafeRun = null!;
    private JsonNode _finalModel = null!;

    /// <summary>
    /// The story, in order: production v1; 40 answers; a shadow v2; the same 40 answers; a canary v3 at 30 % by
    /// customer_id and 20,000 customers (every tenth again); a shadow candidate held back by the safety rule.
    /// </summary>
    [OneTimeSetUp]
    public async Task DeployInTurn()
    {
        var csv = File.ReadAllLines(RepositoryPaths.Combine("samples", "customer-churn", "data", "customers.csv"));
        var withIds = new StringBuilder("customer_id," + csv[0] + "\n");
        for (var i = 1; i < csv.Length; i++)
        {
            withIds.Append(CultureInfo.InvariantCulture, $"c{i:D5},{csv[i]}\n");
        }

        _rows = [.. csv.Skip(1).Take(40).Select((line, i) => Row(csv[0], line, $"c{i + 1:D5}"))];
        _serve = await ServeHarness.StartAsync(files: new Dictionary<string, string>
        {
            ["data/customers-with-ids.csv"] = withIds.ToString(),
            ["pipelines/routes-replace.yaml"] = Pipeline("routes-replace", "lbfgs_logistic_regression", "", ""),
            ["pipelines/routes-shadow.yaml"] = Pipeline("routes-shadow", "fast_tree", "safety: false, ", "strategy: shadow"),
            ["pipelines/routes-canary.yaml"] = Pipeline("routes-canary", "averaged_perceptron", "safety: false, ", "strategy: canary, traffic: 30%, key: customer_id"),
            ["pipelines/routes-unsafe.yaml"] = Pipeline("routes-unsafe", "fast_forest", "min_rows: 1000000, ", "strategy: shadow"),
        });
        await RunAsync("routes-replace");

        _withoutShadow = await AnswersAsync();
        _shadowRun = await RunAsync("routes-shadow");
        await WaitUntilShadowScoresAsync();
        _withShadow = await AnswersAsync();
        _shadowLogged = await WaitForLogAsync([.. _withShadow.Select(a => a.Id)], shadow: true);
        _returnedLogged = await WaitForLogAsync([.. _withShadow.Select(a => a.Id)], shadow: false);

        _canaryRun = await RunAsync("routes-canary");
        _canaryModel = (await _serve.GetAsync($"/api/models/{Model}")).Body!;
        await WaitUntilServedAsync("canary");
        _firstPass = await SendKeyedAsync([.. Enumerable.Range(0, Customers).Select(i => $"k{i}")]);
        _secondPass = await SendKeyedAsync([.. Enumerable.Range(0, Customers).Where(i => i % 10 == 0).Select(i => $"k{i}")]);

        _unsafeRun = await RunAsync("routes-unsafe");
        _finalModel = (await _serve.GetAsync($"/api/models/{Model}")).Body!;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _serve.DisposeAsync();

    [Test]
    public void Predict_WithAShadow_AnswersAreProductionsUnchangedAndTheShadowsAreLoggedUnderTheSameIds()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Note(_shadowRun), Does.Contain("shadow → v2").And.Contain("production stays at v1"), _shadowRun.ToJsonString());
            Assert.That(_withShadow.Select(a => a.Body), Is.EqualTo(_withoutShadow.Select(a => a.Body)), "the same answers with and without the shadow");
            Assert.That(_withoutShadow.Concat(_withShadow).Select(a => (a.Alias, a.Version)), Is.All.EqualTo(("production", "1")));
            Assert.That(_shadowLogged.Values.Select(l => (l.Alias, l.Version)), Is.All.EqualTo(("shadow", 2)), "every request's shadow answer is logged");
            Assert.That(_returnedLogged.Values.Select(l => (l.Alias, l.Version)), Is.All.EqualTo(("production", 1)));
            Assert.That(_withShadow.Select(a => JsonNode.Parse(_shadowLogged[a.Id].Prediction)!["predictionId"]!.GetValue<string>()), Is.EqualTo(_withShadow.Select(a => a.Id)));
            Assert.That(_withShadow.Count(a => Probability(_shadowLogged[a.Id].Prediction) != Probability(_returnedLogged[a.Id].Prediction)), Is.GreaterThan(0),
                "the shadow is another model: had its answers been returned, the bodies would differ");
        });
    }

    [Test]
    public async Task Predict_ArrayAndObject_EveryRowHasItsOwnPredictionId()
    {
        var array = await _serve.PostAsync($"/api/models/{Model}/predict", new JsonArray([.. _rows.Take(3).Select(r => r.DeepClone())]).ToJsonString());
        var single = await _serve.PostAsync($"/api/models/{Model}/predict", _rows[0].ToJsonString());

        Assert.That(array.Status, Is.EqualTo(HttpStatusCode.OK), array.Body?.ToJsonString());
        var ids = array.Body!.AsArray().Select(r => r!["predictionId"]!.GetValue<string>()).Append(single.Body!["predictionId"]!.GetValue<string>()).ToList();
        var earlier = _withoutShadow.Concat(_withShadow).Select(a => a.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ids.Concat(earlier).Distinct().Count(), Is.EqualTo(ids.Count + earlier.Count), "no id is given twice");
            Assert.That(ids.Select(i => Guid.Parse(i).Version), Is.All.EqualTo(7));
            Assert.That(single.Headers["X-Prediction-Id"], Is.EqualTo(ids[^1]));
            Assert.That(array.Headers.ContainsKey("X-Prediction-Id"), Is.False, "several rows: the ids are in the body only");
        });
    }

    [Test]
    public void Deploy_Canary_MovesCanaryWithItsShareAndLeavesProduction()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Note(_canaryRun), Does.Contain("canary → v3").And.Contain("30% by customer_id").And.Contain("production stays at v1"), _canaryRun.ToJsonString());
            Assert.That(_canaryModel["aliases"]!["production"]!.GetValue<int>(), Is.EqualTo(1), "a canary deploy leaves production");
            Assert.That(_canaryModel["aliases"]!["canary"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(_canaryModel["routes"]!["canary"]!["traffic"]!.GetValue<double>(), Is.EqualTo(CanaryShare).Within(1e-12));
            Assert.That(_canaryModel["routes"]!["canary"]!["key"]!.GetValue<string>(), Is.EqualTo("customer_id"));
            Assert.That(_canaryModel["aliasHistory"]!.AsArray().Last()!["traffic"]!.GetValue<double>(), Is.EqualTo(CanaryShare).Within(1e-12));
        });
    }

    [Test]
    public void Predict_Canary_AnswersItsShareOfCustomersAndNeverSwitchesOne()
    {
        var share = _firstPass.Values.Count(a => a == "canary") / (double)Customers;
        TestContext.Out.WriteLine($"canary answered {share:P2} of {Customers:N0} customers (configured {CanaryShare:P0})");
        Assert.Multiple(() =>
        {
            Assert.That(_firstPass.Values.Distinct(), Is.EquivalentTo(new[] { "canary", "production" }));
            Assert.That(share, Is.EqualTo(CanaryShare).Within(0.01), "within one percentage point of the configured share");
            Assert.That(_secondPass.Where(a => _firstPass[a.Key] != a.Value).Select(a => a.Key), Is.Empty, "a customer never switches version");
        });
    }

    [Test]
    public async Task ModelsCommandAndDashboard_ShowShadowAndCanaryWithTheShareAndHistory()
    {
        var cli = await CliRun.RunAsync("models", Model, "--home", _serve.Settings.Home, "--data-root", _serve.Settings.DataRoot);
        var page = await _serve.SendRawAsync(new HttpRequestMessage(HttpMethod.Get, $"/hangfire/models/{Model}"));

        Assert.Multiple(() =>
        {
            Assert.That(cli.ExitCode, Is.Zero, cli.ToString());
            Assert.That(cli.StdoutLines[0], Does.Contain("canary -> 3 (30% by customer_id)").And.Contain("shadow -> 2").And.Contain("production -> 1"), cli.Stdout);
            Assert.That(cli.Stdout, Does.Contain("canary: (unset) -> version 3 (30% by customer_id) by run "), cli.Stdout);
            Assert.That(cli.Stdout, Does.Contain("shadow: (unset) -> version 2 by run "), cli.Stdout);
            Assert.That(page.Status, Is.EqualTo(HttpStatusCode.OK), page.Text);
            Assert.That(page.Text, Does.Contain("canary → version 3 (30% by customer_id of requests)").And.Contain("shadow → version 2"));
            Assert.That(page.Text, Does.Contain("<td>canary</td><td>(unset)</td><td>v3 (30% by customer_id)</td>"), "the alias history shows the share");
        });
    }

    [Test]
    public void Deploy_ShadowCandidateFailingSafety_IsRegisteredNotShadowed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Note(_unsafeRun), Does.Contain("registered, not deployed").And.Contain("min_rows"), _unsafeRun.ToJsonString());
            Assert.That(_finalModel["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()), Does.Contain(4));
            Assert.That(_finalModel["aliases"]!["shadow"]!.GetValue<int>(), Is.EqualTo(2), "the shadow stays the version that passed");
            Assert.That(_finalModel["aliases"]!["production"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    private static string Pipeline(string name, string trainer, string evaluate, string deploy) => $$"""
        version: 1
        name: {{name}}
        data:
          source: { type: csv, path: ../data/customers-with-ids.csv }
          timestamp: signup_ts
          label: churned
          schema:
            signup_ts: { type: datetime }
            customer_id: { type: categorical }
            contract: { type: categorical }
            payment: { type: categorical }
            monthly_charges: { type: float, missing: mean }
            last_note: { type: text }
            churned: { type: categorical, positive: "yes" }
        steps:
          - { id: prep, kind: data_prep, split: { by: random, test_fraction: 0.25, seed: 3 } }
          - { id: train, kind: train, needs: [prep], task: binary, trainer: {{trainer}}, features: {{Features}} }
          - { id: evaluate, kind: evaluate, needs: [train], {{evaluate}}gates: { auc: { min: 0.6 } } }
          - { id: deploy, kind: deploy, needs: [evaluate], model: {{Model}}{{(deploy.Length == 0 ? "" : ", " + deploy)}} }

        """;

    private static JsonObject Row(string header, string line, string id)
    {
        var names = header.Split(',');
        var values = line.Split(',');
        var row = new JsonObject { ["customer_id"] = id };
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] is "churned" or "signup_ts")
            {
                continue;
            }

            row[names[i]] = values[i].Length == 0 ? null
                : double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
                : values[i];
        }

        return row;
    }

    private static string Note(JsonNode run) =>
        string.Join("\n", run["steps"]!.AsArray().Select(s => s!["outputs"]?["note"]?.ToString() ?? ""));

    private static double Probability(string answer) => JsonNode.Parse(answer)!["probability"]!.GetValue<double>();

    private async Task<JsonNode> RunAsync(string pipeline)
    {
        var (status, body) = await _serve.PostAsync($"/api/pipelines/{pipeline}/runs", """{ "mode": "full" }""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body?.ToJsonString());
        var final = await _serve.WaitForRunAsync(body!["runId"]!.GetValue<string>(), "succeeded", "failed", "cancelled");
        Assert.That(final["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), final.ToJsonString());
        return final;
    }

    /// <summary>Scores the 40 customers one by one: each answer without its id, the id, the alias and version that answered.</summary>
    private async Task<List<Answer>> AnswersAsync()
    {
        var answers = new List<Answer>();
        foreach (var row in _rows)
        {
            var response = await _serve.PostAsync($"/api/models/{Model}/predict", row.ToJsonString());
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Body?.ToJsonString());
            var answer = response.Body!.AsObject();
            var id = answer["predictionId"]!.GetValue<string>();
            answer.Remove("predictionId");
            answers.Add(new Answer(answer.ToJsonString(), id, response.Headers["X-Model-Alias"], response.Headers["X-Model-Version"]));
        }

        return answers;
    }

    /// <summary>One request per customer key, eight at a time: which alias answered each.</summary>
    private async Task<ConcurrentDictionary<string, string>> SendKeyedAsync(List<string> keys)
    {
        var answered = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var template = _rows[0].DeepClone().AsObject();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, ct) =>
        {
            var row = template.DeepClone().AsObject();
            row["customer_id"] = key;
            using var content = new StringContent(row.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _serve.Client.PostAsync(new Uri($"api/models/{Model}/predict", UriKind.Relative), content, ct);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(ct));
            answered[key] = response.Headers.GetValues("X-Model-Alias").Single();
        });
        return answered;
    }

    private async Task WaitUntilServedAsync(string alias)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            var answered = await SendKeyedAsync([.. Enumerable.Range(0, 20).Select(i => $"probe-{attempt}-{i}")]);
            if (answered.Values.Contains(alias))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"'{alias}' was not served within 15 s of its deploy");
    }

    private async Task WaitUntilShadowScoresAsync()
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var (_, body) = await _serve.PostAsync($"/api/models/{Model}/predict", _rows[0].ToJsonString());
            var id = body!["predictionId"]!.GetValue<string>();
            await Task.Delay(500);
            if ((await ReadLogAsync([id], shadow: true)).Count > 0)
            {
                return;
            }
        }

        Assert.Fail("the shadow scored nothing within 15 s of its deploy");
    }

    /// <summary>Waits until the prediction log holds a row for every id (the writer flushes every second).</summary>
    private async Task<IReadOnlyDictionary<string, Logged>> WaitForLogAsync(List<string> ids, bool shadow)
    {
        IReadOnlyDictionary<string, Logged> rows = new Dictionary<string, Logged>();
        for (var attempt = 0; attempt < 50 && rows.Count < ids.Count; attempt++)
        {
            await Task.Delay(200);
            rows = await ReadLogAsync(ids, shadow);
        }

        Assert.That(rows.Keys, Is.EquivalentTo(ids), $"{(shadow ? "shadow" : "returned")} answers in the prediction log");
        return rows;
    }

    /// <summary>The prediction log's rows for these ids, read from the store's database as monitoring and feedback would.</summary>
    private async Task<IReadOnlyDictionary<string, Logged>> ReadLogAsync(IReadOnlyList<string> ids, bool shadow)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_serve.Settings.Home, "mlops.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT prediction_id, alias, version, prediction_json FROM prediction_log WHERE model = $model AND shadow = $shadow";
        command.Parameters.AddWithValue("$model", Model);
        command.Parameters.AddWithValue("$shadow", shadow ? 1 : 0);
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var rows = new Dictionary<string, Logged>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(0) && wanted.Contains(reader.GetString(0)))
            {
                rows[reader.GetString(0)] = new Logged(reader.GetString(1), reader.GetInt32(2), reader.GetString(3));
            }
        }

        return rows;
    }

    private sealed record Logged(string Alias, int Version, string Prediction);

    private sealed record Answer(string Body, string Id, string Alias, string Version);
}
