using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// The rules the run service owns for every front end, over a real SQLite run store: an unknown run or step, a step
/// that is not waiting, a rejection without a reason or with too long a reason, a trigger the pipeline does not have;
/// what it records; and that it dispatches exactly what it accepted. The queue is a recording stand-in.
/// </summary>
[TestFixture]
public sealed class RunServiceTests
{
    private const string By = "local (127.0.0.1, api)";

    private static readonly string PipelineFile = RepositoryPaths.Combine("samples", "customer-churn", "pipeline.yaml");

    private string _home = null!;
    private StorageSet _storage = null!;
    private RecordingDispatcher _dispatcher = null!;
    private IRunService _service = null!;
    private RunRequest _request = null!;

    [SetUp]
    public async Task SetUp()
    {
        _home = Directory.CreateTempSubdirectory("mlops-run-service-").FullName;
        _storage = await MlOpsStorage.OpenSqliteAsync(_home, CancellationToken.None);
        _dispatcher = new RecordingDispatcher();
        var time = TimeProvider.System;
        var starter = new RunStarter(new RunLauncher(_storage.Runs, time), _storage.Runs, _storage.RunExecution, _dispatcher, time);
        _service = IRunService.Create(starter, new RunControl(_storage.Runs, _storage.RunExecution, time), _dispatcher, NullLogger<IRunService>.Instance);
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = RepositoryPaths.Root }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        var (loaded, yaml) = loader.ReadFile(PipelineFile);
        Assert.That(loaded.Definition, Is.Not.Null, string.Join("; ", loaded.Errors));
        _request = new RunRequest { Definition = loaded.Definition!, Yaml = yaml! };
    }

    [TearDown]
    public async Task TearDown()
    {
        await _storage.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Test]
    public async Task Start_StoresTheYamlItWasGiven_AndDispatchesTheRun()
    {
        var yaml = _request.Yaml + "\n# the copy that runs\n";
        var started = await _service.StartAsync(_request with { Yaml = yaml, Parameters = new Dictionary<string, string> { ["note"] = "x" } }, "bob", CancellationToken.None);

        var stored = await _storage.Runs.GetAsync(started.Run.RunId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(started.Outcome, Is.EqualTo(StartOutcome.Queued));
            Assert.That(stored?.PipelineYaml, Is.EqualTo(yaml));
            Assert.That(stored?.Trigger, Is.EqualTo(RunRequest.ManualTrigger));
            Assert.That(stored?.Parameters["note"], Is.EqualTo("x"));
            Assert.That(_dispatcher.RunIds, Is.EqualTo(new[] { started.Run.RunId }));
        });
    }

    [Test]
    public async Task Start_WithATriggerThePipelineDoesNotHave_IsRefusedNamingIt_NothingStoredOrDispatched()
    {
        var ex = await Assert.ThrowsAsync<RunControlException>(() => _service.StartAsync(_request with { Trigger = "nightly" }, "bob", CancellationToken.None));

        Assert.Multiple(async () =>
        {
            Assert.That(ex!.Message, Does.Contain("pipeline 'customer-churn' has no trigger 'nightly'"));
            Assert.That(ex.Invalid, Is.True);
            Assert.That(await _storage.Runs.ListAsync(null, 10, CancellationToken.None), Is.Empty);
            Assert.That(_dispatcher.RunIds, Is.Empty);
        });
    }

    [Test]
    public async Task Start_AsTheDriftTriggerTheRetrainNoteNames_IsQueuedAsThatTrigger()
    {
        // A retrain step with automated: false says "or POST /api/pipelines/NAME/runs with trigger 'on-drift'".
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = RepositoryPaths.Root }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        var (loaded, yaml) = loader.ReadFile(RepositoryPaths.Combine("pipelines", "bike-rentals.yaml"));
        Assert.That(loaded.Definition?.Spec.Trigger("on-drift"), Is.Not.Null, string.Join("; ", loaded.Errors));

        var started = await _service.StartAsync(new RunRequest { Definition = loaded.Definition!, Yaml = yaml!, Trigger = "on-drift" }, By, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(started.Outcome, Is.EqualTo(StartOutcome.Queued));
            Assert.That((await _storage.Runs.GetAsync(started.Run.RunId, CancellationToken.None))?.Trigger, Is.EqualTo("on-drift"));
            Assert.That(_dispatcher.RunIds, Is.EqualTo(new[] { started.Run.RunId }));
        });
    }

    [TestCase("a b", "x", "parameter name 'a b' ")]
    [TestCase("", "x", "parameter name '' ")]
    [TestCase("note", "a\u0001b", "parameter 'note' ")]
    [TestCase("note", "a\0b", "parameter 'note' ")]
    public async Task Start_WithAMalformedParameter_IsRefusedNamingIt_NothingStoredOrDispatched(string name, string value, string expected)
    {
        var parameters = new Dictionary<string, string> { ["fine"] = "ok", [name] = value };

        var ex = await Assert.ThrowsAsync<RunControlException>(() => _service.StartAsync(_request with { Parameters = parameters }, "bob", CancellationToken.None));

        Assert.Multiple(async () =>
        {
            Assert.That(ex!.Message, Does.StartWith(expected));
            Assert.That(ex.Invalid, Is.True);
            Assert.That(ex.Parameter, Is.EqualTo(name));
            Assert.That(await _storage.Runs.ListAsync(null, 10, CancellationToken.None), Is.Empty);
            Assert.That(_dispatcher.RunIds, Is.Empty);
        });
    }

    [Test]
    public async Task Start_WithAParameterValueAtTheLimit_IsAccepted_OneLongerIsRefused()
    {
        var atLimit = new string('v', InputText.MaxParameterValueLength);

        var started = await _service.StartAsync(_request with { Parameters = new Dictionary<string, string> { ["note"] = atLimit } }, "bob", CancellationToken.None);
        var ex = await Assert.ThrowsAsync<RunControlException>(() => _service.StartAsync(
            _request with { Parameters = new Dictionary<string, string> { ["note"] = atLimit + "v" } }, "bob", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(started.Outcome, Is.EqualTo(StartOutcome.Queued));
            Assert.That(ex!.Message, Does.StartWith("parameter 'note' "));
            Assert.That(_dispatcher.RunIds, Is.EqualTo(new[] { started.Run.RunId }));
        });
    }

    [Test]
    public async Task Start_AScheduledFireUnderSkipWhileARunIsActive_IsRecordedAsSkipped_AndNotDispatched()
    {
        var first = await _service.StartAsync(_request with { IdempotencyKey = "fire-1" }, "scheduler", CancellationToken.None);
        var second = await _service.StartAsync(_request with { IdempotencyKey = "fire-2" }, "scheduler", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(second.Outcome, Is.EqualTo(StartOutcome.Skipped));
            Assert.That(second.Reason, Does.Contain($"run {first.Run.RunId} is pending"));
            Assert.That(_dispatcher.RunIds, Is.EqualTo(new[] { first.Run.RunId }));
        });
    }

    [Test]
    public async Task Approve_AWaitingStep_RecordsWhoDecided_AndDispatchesTheContinuation()
    {
        var runId = await WaitingRunAsync();

        var run = await _service.ApproveAsync(runId, "deploy", By, CancellationToken.None);

        var deploy = await StepAsync(runId, "deploy");
        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(RunStatus.Pending));
            Assert.That(deploy.Status, Is.EqualTo(StepStatus.Pending));
            Assert.That(deploy.DecidedBy, Is.EqualTo(By));
            Assert.That(_dispatcher.RunIds, Is.EqualTo(new[] { runId, runId }), "started, then continued");
        });
    }

    [Test]
    public async Task Reject_WithAReason_RecordsItTrimmed_AndDispatchesTheContinuation()
    {
        var runId = await WaitingRunAsync();

        await _service.RejectAsync(runId, "deploy", By, "  AUC too low \n", CancellationToken.None);

        var deploy = await StepAsync(runId, "deploy");
        Assert.Multiple(() =>
        {
            Assert.That(deploy.Status, Is.EqualTo(StepStatus.Cancelled));
            Assert.That(deploy.Reason, Is.EqualTo("AUC too low"));
            Assert.That(deploy.DecidedBy, Is.EqualTo(By));
            Assert.That(_dispatcher.RunIds, Has.Count.EqualTo(2));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" \t\n ")]
    public async Task Reject_WithoutAReason_IsRefused_TheStepStillWaits(string? reason)
    {
        var runId = await WaitingRunAsync();

        var ex = await Assert.ThrowsAsync<RunControlException>(() => _service.RejectAsync(runId, "deploy", By, reason, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("needs a reason").And.Contain($"at most {InputText.MaxReasonLength} characters"));
        await AssertStillWaitingAsync(runId, ex);
    }

    [Test]
    public async Task Reject_WithAReasonLongerThanTheLimit_IsRefused_TheLimitItselfIsAccepted()
    {
        var runId = await WaitingRunAsync();

        var ex = await Assert.ThrowsAsync<RunControlException>(() => _service.RejectAsync(runId, "deploy", By, new string('r', InputText.MaxReasonLength + 1), CancellationToken.None));
        await AssertStillWaitingAsync(runId, ex!);
        Assert.That(ex!.Message, Does.StartWith("the reason "));

        await _service.RejectAsync(runId, "deploy", By, new string('r', InputText.MaxReasonLength), CancellationToken.None);
        Assert.That((await StepAsync(runId, "deploy")).Status, Is.EqualTo(StepStatus.Cancelled));
    }

    [Test]
    public async Task Decide_OnAStepThatIsNotWaiting_IsAConflict_NothingDispatched()
    {
        var runId = await WaitingRunAsync();

        var approve = await Assert.ThrowsAsync<RunControlException>(() => _service.ApproveAsync(runId, "train", By, CancellationToken.None));
        var reject = await Assert.ThrowsAsync<RunControlException>(() => _service.RejectAsync(runId, "train", By, "no", CancellationToken.None));

        Assert.Multiple(() =>
        {
            foreach (var ex in new[] { approve!, reject! })
            {
                Assert.That(ex.Message, Does.Contain("step 'train'").And.Contain("not awaiting approval; waiting: deploy"));
                Assert.That((ex.NotFound, ex.Invalid), Is.EqualTo((false, false)));
            }

            Assert.That(_dispatcher.RunIds, Has.Count.EqualTo(1), "only the start");
        });
    }

    [Test]
    public async Task Decide_OnAnUnknownRunOrStep_IsNotFound_NothingDispatched()
    {
        var runId = await WaitingRunAsync();

        var run = await Assert.ThrowsAsync<RunControlException>(() => _service.ApproveAsync("no-such-run", "deploy", By, CancellationToken.None));
        var step = await Assert.ThrowsAsync<RunControlException>(() => _service.RejectAsync(runId, "ship", By, "no", CancellationToken.None));
        var resume = await Assert.ThrowsAsync<RunControlException>(() => _service.ResumeAsync("no-such-run", "bob", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(run!.Message, Does.Contain("unknown run 'no-such-run'"));
            Assert.That(step!.Message, Does.Contain("has no step 'ship'"));
            Assert.That(new[] { run, step, resume! }.Select(e => e.NotFound), Is.All.True);
            Assert.That(_dispatcher.RunIds, Has.Count.EqualTo(1), "only the start");
        });
    }

    [Test]
    public async Task Resume_AFailedRun_MakesItPendingAgain_AndDispatchesIt_ARunThatIsNotFailedIsRefused()
    {
        var runId = await WaitingRunAsync();
        var refused = await Assert.ThrowsAsync<RunControlException>(() => _service.ResumeAsync(runId, "bob", CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain("only an interrupted or failed run can be resumed"));

        var run = (await _storage.Runs.GetAsync(runId, CancellationToken.None))!;
        var train = await StepAsync(runId, "train");
        await _storage.RunExecution.CommitAsync(expectedOwner: null, [train with { Status = StepStatus.Failed, Error = "boom" }], run with { Status = RunStatus.Failed, Error = "boom" }, CancellationToken.None);

        var resumed = await _service.ResumeAsync(runId, "bob", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(resumed.Status, Is.EqualTo(RunStatus.Pending));
            Assert.That((await StepAsync(runId, "train")).Status, Is.EqualTo(StepStatus.Pending));
            Assert.That(_dispatcher.RunIds, Is.EqualTo(new[] { runId, runId }), "started, then resumed");
        });
    }

    /// <summary>A run started through the service whose steps before <c>deploy</c> succeeded and whose deploy waits for an approval.</summary>
    private async Task<string> WaitingRunAsync()
    {
        var started = await _service.StartAsync(_request, "bob", CancellationToken.None);
        var steps = (await _storage.Runs.GetStepsAsync(started.Run.RunId, CancellationToken.None))
            .Select(s => s with { Status = s.StepId == "deploy" ? StepStatus.AwaitingApproval : StepStatus.Succeeded })
            .ToList();
        await _storage.RunExecution.CommitAsync(expectedOwner: null, steps, started.Run with { Status = RunStatus.AwaitingApproval }, CancellationToken.None);
        return started.Run.RunId;
    }

    private async Task<StepRecord> StepAsync(string runId, string stepId) =>
        (await _storage.Runs.GetStepsAsync(runId, CancellationToken.None)).Single(s => s.StepId == stepId);

    private async Task AssertStillWaitingAsync(string runId, RunControlException ex)
    {
        var deploy = await StepAsync(runId, "deploy");
        Assert.Multiple(() =>
        {
            Assert.That(ex.Invalid, Is.True);
            Assert.That(deploy.Status, Is.EqualTo(StepStatus.AwaitingApproval));
            Assert.That(deploy.DecidedBy, Is.Null);
            Assert.That(_dispatcher.RunIds, Has.Count.EqualTo(1), "only the start");
        });
    }
}
