using System.Diagnostics;
using System.Globalization;
using System.Net;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary><c>GET /api/models/{name}</c> and <c>POST /api/models/{name}/predict</c> after a run deployed through the API.</summary>
public sealed class ModelsApiTests
{
    private const string Model = "churn-api";
    private const string ModelVersionHeader = "X-Model-Version";

    /// <summary>A month-to-month customer with many support calls and outages: the kind that leaves.</summary>
    private const string AtRiskCustomer =
        """{ "tenure_months": 2, "monthly_charges": 95.5, "contract": "monthly", "payment": "check", "support_calls": 6, "outages": 4, "last_note": "third outage this week, thinking of cancelling" }""";

    private const string LoyalCustomer =
        """{ "tenure_months": 48, "monthly_charges": 40.2, "contract": "two_year", "payment": "card", "support_calls": 0, "outages": 0, "last_note": "thanks for the quick fix" }""";

    [OneTimeSetUp]
    public async Task Deploy()
    {
        var story = await ApprovedRunAsync();
        Assert.That(story.Final?["status"]!.GetValue<string>(), Is.EqualTo("succeeded"), "the model tests need the run deployed");
    }

    [Test]
    public async Task GetModel_AfterApprovedDeploy_ShowsVersion1UnderProductionAndItsHistory()
    {
        var story = await ApprovedRunAsync();
        var (status, body) = await Serve.GetAsync($"/api/models/{Model}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        var history = body!["aliasHistory"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(body["name"]!.GetValue<string>(), Is.EqualTo(Model));
            Assert.That(body["aliases"]!["production"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
            Assert.That(body["versions"]![0]!["version"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(body["versions"]![0]!["runId"]!.GetValue<string>(), Is.EqualTo(story.RunId));
            Assert.That(body["versions"]![0]!["metrics"]!["auc"]!.GetValue<double>(), Is.GreaterThan(0.7));
            Assert.That(history, Is.Not.Empty);
            Assert.That(history[0]!["alias"]!.GetValue<string>(), Is.EqualTo("production"));
            Assert.That(history[0]!["version"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(history[0]!["previousVersion"], Is.Null);
        });
    }

    [Test]
    public async Task Predict_OneObject_ReturnsOnePredictionFromProduction()
    {
        var (status, body) = await Serve.PostAsync($"/api/models/{Model}/predict", AtRiskCustomer);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(body!["predictedLabel"]!.GetValue<string>(), Is.EqualTo("yes").Or.EqualTo("no"));
            Assert.That(body["probability"]!.GetValue<double>(), Is.InRange(0.0, 1.0));
            Assert.That(body["score"], Is.Not.Null);
        });
    }

    [Test]
    public async Task Predict_Array_ReturnsOnePredictionPerRowInOrder()
    {
        var (status, body) = await Serve.PostAsync($"/api/models/{Model}/predict", $"[{AtRiskCustomer}, {LoyalCustomer}]");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        var predictions = body!.AsArray();
        Assert.That(predictions, Has.Count.EqualTo(2));
        Assert.That(predictions[0]!["probability"]!.GetValue<double>(), Is.GreaterThan(predictions[1]!["probability"]!.GetValue<double>()),
            "the monthly customer with outages is the likelier to leave");
    }

    [Test]
    public async Task Predict_AfterProductionMoves_ScoresWithTheNewVersion()
    {
        var (_, model) = await Serve.GetAsync($"/api/models/{Model}");
        var before = model!["aliases"]!["production"]!.GetValue<int>();
        var first = await Serve.PostAsync($"/api/models/{Model}/predict", AtRiskCustomer);
        Assert.That(first.Headers[ModelVersionHeader], Is.EqualTo(before.ToString(CultureInfo.InvariantCulture)));

        var runId = await Serve.RunToApprovalAsync();
        var (approved, _) = await Serve.PostAsync($"/api/runs/{runId}/steps/deploy/approve", null);
        Assert.That(approved, Is.EqualTo(HttpStatusCode.Accepted));
        var final = await Serve.WaitForRunAsync(runId, "succeeded", "failed", "cancelled");
        Assert.That(final["model"]!["version"]!.GetValue<int>(), Is.EqualTo(before + 1), final.ToJsonString());

        // Served versions are refreshed from the registry every second: the move shows within a few seconds.
        var waited = Stopwatch.StartNew();
        ApiAnswer second;
        do
        {
            await Task.Delay(100);
            second = await Serve.PostAsync($"/api/models/{Model}/predict", AtRiskCustomer);
            Assert.That(second.Status, Is.EqualTo(HttpStatusCode.OK), second.Body?.ToJsonString());
        }
        while (second.Headers[ModelVersionHeader] != (before + 1).ToString(CultureInfo.InvariantCulture) && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.That(second.Headers[ModelVersionHeader], Is.EqualTo((before + 1).ToString(CultureInfo.InvariantCulture)), "the moved alias is picked up without a restart");
    }

    [TestCase("""{ "contract": "monthly" """, "not valid JSON")]
    [TestCase("", "send the rows to score")]
    [TestCase("""{ "tenure_months": 2, "monthly_charges": "lots", "contract": "monthly", "payment": "check", "support_calls": 6, "outages": 4, "last_note": "" }""", "monthly_charges")]
    [TestCase("""{ "contract": "monthly" }""", "tenure_months: is required")]
    [TestCase("42", "object")]
    public async Task Predict_BadInput_Returns400SayingWhy(string input, string message)
    {
        var (status, body) = await Serve.PostAsync($"/api/models/{Model}/predict", input);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain(message));
    }

    [Test]
    public async Task Predict_UnknownModel_Returns404()
    {
        var (status, body) = await Serve.PostAsync("/api/models/no-such-model/predict", AtRiskCustomer);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("no model named 'no-such-model'").And.Contain(Model));
    }

    [Test]
    public async Task Predict_AliasNotSet_Returns409()
    {
        var (status, body) = await Serve.PostAsync($"/api/models/{Model}/predict?alias=staging", AtRiskCustomer);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("no 'staging' alias"));
    }

    [Test]
    public async Task GetModel_Unknown_Returns404()
    {
        var (status, body) = await Serve.GetAsync("/api/models/no-such-model");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body!["error"]!.GetValue<string>(), Does.Contain("no model named 'no-such-model'"));
    }
}
