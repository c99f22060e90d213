using System.Text.Json;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Commands;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// Acceptance: "A pipeline with <c>deploy: automated: false</c> exits 3, <c>mlops approve</c> deploys it,
/// <c>mlops rollback</c> restores the previous version, and <c>mlops models --json</c> shows the alias history."
/// Uses <c>samples/customer-churn/pipeline.yaml</c> (manual deploy) as committed, on each storage engine.
/// </summary>
[TestFixture(StorageEngine.Sqlite)]
[TestFixture(StorageEngine.Postgres, Category = "Postgres")]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment.
public sealed class ApprovalFlowTests(StorageEngine engine)
{
    private const string Model = "customer-churn";

    /// <summary>A month-to-month customer with many support calls and outages: the kind that leaves.</summary>
    private const string AtRiskCustomer =
        """{"tenure_months":2,"monthly_charges":95.5,"contract":"monthly","payment":"check","support_calls":6,"outages":4,"last_note":"third outage this week, thinking of cancelling"}""";

    private CliSession _session = null!;

    private static string PipelineFile => RepositoryPaths.Combine("samples", "customer-churn", "pipeline.yaml");

    [SetUp]
    public async Task SetUp() => _session = await CliSession.OpenAsync(engine, dataRoot: RepositoryPaths.Root, database: "approval");

    [TearDown]
    public void TearDown() => _session?.Dispose();

    [Test]
    public async Task ManualDeploy_RunApproveTwiceThenRollbackAndReject_RegistryAndAliasHistoryTellTheStory()
    {
        // 1. The run stops before deploy: exit 3, awaiting approval, nothing registered.
        var (waiting1, run1) = await _session.JsonAsync(3, "run", PipelineFile);
        var id1 = RunId(run1);
        Assert.Multiple(() =>
        {
            Assert.That(Status(run1), Is.EqualTo("awaiting_approval"));
            Assert.That(Status(Step(run1, "deploy")), Is.EqualTo("awaiting_approval"));
            Assert.That(Attempts(Step(run1, "deploy")), Is.EqualTo(0));
            Assert.That(new[] { "prep", "train", "evaluate" }.Select(s => Status(Step(run1, s))), Is.All.EqualTo("succeeded"));
            Assert.That(ModelRef(run1), Is.Null);
            Assert.That(run1["level"]!.GetValue<int>(), Is.EqualTo(1), "a manual deploy and no cron trigger");
            Assert.That(Str(run1, "requestedBy"), Is.EqualTo($"{Environment.UserName}@{Environment.MachineName}"), "a manual run records the OS user and the machine");
            Assert.That(waiting1.Stderr, Does.Contain("[evaluate] succeeded").And.Not.Contain("[deploy] started"));
            Assert.That(waiting1.Stderr, Does.Not.Contain("was started by run"), "the run the command started is executed once, as its own");
        });
        var text = await _session.RunAsync("show", id1);
        Assert.That(text.Stdout, Does.Contain($"waiting for approval: mlops approve {id1} deploy"), text.ToString());
        var none = await _session.RunAsync("models", Model, "--json");
        Assert.That(none.ExitCode, Is.EqualTo(2), $"no version before the approval\n{none}");

        // 2. approve deploys it: exit 0, version 1 under production.
        var (_, approved1) = await _session.JsonAsync(0, "approve", id1, "deploy", "--by", "alice");
        Assert.Multiple(() =>
        {
            Assert.That(Status(approved1), Is.EqualTo("succeeded"));
            Assert.That(Status(Step(approved1, "deploy")), Is.EqualTo("succeeded"));
            Assert.That(Str(Step(approved1, "deploy"), "decidedBy"), Is.EqualTo($"{CliUser.Name} for alice"), "the OS user is recorded; --by is a note");
            Assert.That(Attempts(Step(approved1, "train")), Is.EqualTo(1), "approving does not train again");
            Assert.That(ModelRef(approved1)?["version"]?.GetValue<int>(), Is.EqualTo(1));
        });

        // 3. A second run and approval: version 2.
        var (_, run2) = await _session.JsonAsync(3, "run", PipelineFile);
        var (_, approved2) = await _session.JsonAsync(0, "approve", RunId(run2), "deploy", "--by", "bob");
        Assert.That(ModelRef(approved2)?["version"]?.GetValue<int>(), Is.EqualTo(2), approved2.ToJsonString());
        Assert.That(Alias(await _session.ModelsAsync(Model), "production"), Is.EqualTo(2));

        // 4. rollback restores the previous version, and predict then scores with it.
        var rollback = await _session.RunAsync("rollback", Model, "--by", "carol");
        Assert.That(rollback.ExitCode, Is.EqualTo(0), rollback.ToString());
        Assert.That(rollback.Stdout, Does.Contain("version 2 -> version 1"));
        var predict = await _session.RunAsync("predict", Model, "--input", AtRiskCustomer, "--json");
        Assert.That(predict.ExitCode, Is.EqualTo(0), predict.ToString());
        Assert.That(predict.Stderr, Does.Contain($"scored with {Model} version 1 (production)"));
        AssertBinaryPrediction(CliSession.ParseJson(predict));

        // 5. models --json: production == 1, and the history says who moved it, when, from which version.
        var models = await _session.ModelsAsync(Model);
        var history = AliasHistory(models);
        Assert.Multiple(() =>
        {
            Assert.That(Alias(models, "production"), Is.EqualTo(1));
            Assert.That(Versions(models), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(models["versions"]!.AsArray().Select(v => Str(v, "runId")), Is.EqualTo(new[] { id1, RunId(run2) }));
            Assert.That(history, Has.Count.EqualTo(3));
            foreach (var entry in history)
            {
                foreach (var field in new[] { "alias", "version", "previousVersion", "by", "at" })
                {
                    Assert.That(HasField(entry, field), Is.True, $"aliasHistory entry lacks '{field}': {entry!.ToJsonString()}");
                }

                Assert.That(Str(entry, "alias"), Is.EqualTo("production"));
                Assert.That(Time(entry, "at"), Is.Not.Null);
            }

            Assert.That(history.Select(h => (h!["version"]!.GetValue<int>(), h["previousVersion"]?.GetValue<int>())),
                Is.EqualTo(new (int, int?)[] { (1, null), (2, 1), (1, 2) }));
            Assert.That(Str(history[2], "by"), Is.EqualTo($"{CliUser.Name} for carol"));
            Assert.That(At(history[2], "at"), Is.GreaterThanOrEqualTo(At(history[1], "at")));
            Assert.That(At(history[1], "at"), Is.GreaterThanOrEqualTo(At(history[0], "at")));
        });

        // 6. reject on a new waiting run: the run is cancelled, no new version, production untouched.
        var (_, run3) = await _session.JsonAsync(3, "run", PipelineFile);
        var (_, rejected) = await _session.JsonAsync(0, "reject", RunId(run3), "deploy", "--reason", "wait for the pricing change", "--by", "dave");
        var after = await _session.ModelsAsync(Model);
        Assert.Multiple(() =>
        {
            Assert.That(Status(rejected), Is.EqualTo("cancelled"));
            Assert.That(Status(Step(rejected, "deploy")), Is.EqualTo("cancelled"));
            Assert.That(Str(Step(rejected, "deploy"), "decidedBy"), Is.EqualTo($"{CliUser.Name} for dave"));
            Assert.That(Str(Step(rejected, "deploy"), "reason"), Is.EqualTo("wait for the pricing change"));
            Assert.That(Str(rejected, "error"), Does.Contain("wait for the pricing change"));
            Assert.That(ModelRef(rejected), Is.Null);
            Assert.That(Versions(after), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(Alias(after, "production"), Is.EqualTo(1));
            Assert.That(AliasHistory(after), Has.Count.EqualTo(3));
        });

        // 7. runs --json: newest first, with the fields of the spec.
        var (_, runs) = await _session.JsonAsync(0, "runs");
        var listed = runs.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(r => RunId(r!)), Is.EqualTo(new[] { RunId(run3), RunId(run2), id1 }));
            Assert.That(listed.Select(r => Status(r!)), Is.EqualTo(new[] { "cancelled", "succeeded", "succeeded" }));
            foreach (var run in listed)
            {
                AssertRunShape(run!);
                Assert.That(run!["steps"], Is.Null, "the listing leaves the steps out");
                Assert.That(run["duration"]?.GetValueKind(), Is.EqualTo(JsonValueKind.Number), "a finished run has a duration in seconds");
            }

            Assert.That(listed.Select(r => Time(r, "startedAt")), Is.Ordered.Descending);
            Assert.That(listed[1]!["model"]!["version"]!.GetValue<int>(), Is.EqualTo(2));
        });
        var (_, limited) = await _session.JsonAsync(0, "runs", Model, "--limit", "1");
        Assert.That(limited.AsArray().Select(r => RunId(r!)), Is.EqualTo(new[] { RunId(run3) }));
    }

    [Test]
    public async Task Decisions_OnStepsThatAreNotWaitingOrRunsThatDoNotExist_ExitWith2AndSayWhy()
    {
        var (_, run) = await _session.JsonAsync(3, "run", PipelineFile);
        var id = RunId(run);

        var finishedStep = await _session.RunAsync("approve", id, "evaluate");
        var unknownStep = await _session.RunAsync("approve", id, "deploi");
        var unknownRun = await _session.RunAsync("approve", "customer-churn-20990101-000000-dead", "deploy");
        var rejectUnknownRun = await _session.RunAsync("reject", "no-such-run", "deploy", "--reason", "x");
        var rejectWithoutReason = await _session.RunAsync("reject", id, "deploy");
        var rejectBlankReason = await _session.RunAsync("reject", id, "deploy", "--reason", "   ");
        var rejectLongReason = await _session.RunAsync("reject", id, "deploy", "--reason", new string('r', 501));
        var showUnknownRun = await _session.RunAsync("show", "no-such-run", "--json");
        var resumeWaiting = await _session.RunAsync("resume", id);

        Assert.Multiple(() =>
        {
            Assert.That(finishedStep.ExitCode, Is.EqualTo(2), finishedStep.ToString());
            Assert.That(finishedStep.Stderr, Does.Contain("step 'evaluate'").And.Contain("is succeeded, not awaiting approval").And.Contain("waiting: deploy"));
            Assert.That(unknownStep.ExitCode, Is.EqualTo(2), unknownStep.ToString());
            Assert.That(unknownStep.Stderr, Does.Contain("has no step 'deploi'").And.Contain("deploy"));
            Assert.That(unknownRun.ExitCode, Is.EqualTo(2), unknownRun.ToString());
            Assert.That(unknownRun.Stderr, Does.Contain("unknown run 'customer-churn-20990101-000000-dead'"));
            Assert.That(rejectUnknownRun.ExitCode, Is.EqualTo(2), rejectUnknownRun.ToString());
            Assert.That(rejectUnknownRun.Stderr, Does.Contain("unknown run 'no-such-run'"));
            Assert.That(rejectWithoutReason.ExitCode, Is.EqualTo(2), rejectWithoutReason.ToString());
            Assert.That(rejectWithoutReason.Stderr, Does.Contain("--reason"));
            Assert.That(rejectBlankReason.ExitCode, Is.EqualTo(2), rejectBlankReason.ToString());
            Assert.That(rejectBlankReason.Stderr, Does.Contain("needs a reason (at most 500 characters)"));
            Assert.That(rejectLongReason.ExitCode, Is.EqualTo(2), rejectLongReason.ToString());
            Assert.That(rejectLongReason.Stderr, Does.Contain("the reason").And.Contain("500"));
            Assert.That(showUnknownRun.ExitCode, Is.EqualTo(2), showUnknownRun.ToString());
            Assert.That(showUnknownRun.Stdout, Is.Empty, "no JSON for a run that does not exist");
            Assert.That(resumeWaiting.ExitCode, Is.EqualTo(2), resumeWaiting.ToString());
            Assert.That(resumeWaiting.Stderr, Does.Contain("awaiting_approval"));
        });

        // None of that changed the waiting run: it can still be approved, once.
        var approved = await _session.RunAsync("approve", id, "deploy", "--by", "alice");
        var again = await _session.RunAsync("approve", id, "deploy", "--by", "alice");
        var show = await _session.ShowAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(approved.ExitCode, Is.EqualTo(0), approved.ToString());
            Assert.That(again.ExitCode, Is.EqualTo(2), again.ToString());
            Assert.That(again.Stderr, Does.Contain("step 'deploy'").And.Contain("not awaiting approval"));
            Assert.That(Attempts(Step(show, "deploy")), Is.EqualTo(1), "a second approve does not deploy again");
        });
        Assert.That(Versions(await _session.ModelsAsync(Model)), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public async Task Rollback_WithOnlyOneVersionEverDeployed_Exits2AndLeavesProductionAlone()
    {
        var (_, run) = await _session.JsonAsync(3, "run", PipelineFile);
        await _session.JsonAsync(0, "approve", RunId(run), "deploy", "--by", "alice");

        var rollback = await _session.RunAsync("rollback", Model);

        Assert.Multiple(() =>
        {
            Assert.That(rollback.ExitCode, Is.EqualTo(2), rollback.ToString());
            Assert.That(rollback.Stderr, Does.Contain("no earlier version"));
        });
        var models = await _session.ModelsAsync(Model);
        Assert.That(Alias(models, "production"), Is.EqualTo(1));
        Assert.That(AliasHistory(models), Has.Count.EqualTo(1));
    }

    private static void AssertBinaryPrediction(JsonNode prediction)
    {
        Assert.Multiple(() =>
        {
            Assert.That(prediction is JsonObject, Is.True, $"one object for one input: {prediction.ToJsonString()}");
            Assert.That(HasField(prediction, "predictedLabel"), Is.True, prediction.ToJsonString());
            Assert.That(prediction["probability"]?.GetValue<double>(), Is.InRange(0.0, 1.0), prediction.ToJsonString());
            Assert.That(prediction["score"]?.GetValueKind(), Is.EqualTo(JsonValueKind.Number), prediction.ToJsonString());
            Assert.That(prediction["probability"]?.GetValue<double>(), Is.GreaterThan(0.5), "a customer with six support calls and four outages on a monthly contract is at risk");
        });
    }
}
