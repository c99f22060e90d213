using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Tests.Data;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Notifications;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps;

/// <summary>
/// How the run executor records the typed results of its steps, in the real embedded run store: the fields as the
/// step made them, the note as the step's message after redaction (whatever the step put there), and the run's model
/// and the pipeline's watermark read from the deploy and data_prep results.
/// </summary>
[TestFixture]
public sealed class RunExecutorResultTests
{
    private const string Secret = "wh_secret_db_7f3k";
    private static readonly DateTimeOffset Newest = new(2025, 3, 21, 23, 0, 0, 123, TimeSpan.Zero);

    private const string Yaml = """
        version: 1
        name: warehouse-churn
        data:
          source:
            type: postgres
            connection: "Host=localhost;Username=postgres;Database=${env:WAREHOUSE_DB}"
            query: select * from customers order by signup_ts
          timestamp: signup_ts
          label: churned
          schema:
            churned: { type: categorical, positive: "yes" }
        steps:
          - { id: prep, kind: data_prep }
          - { id: train, kind: train, needs: prep, task: binary, trainer: lbfgs_logistic_regression }
          - { id: deploy, kind: deploy, needs: train }

        """;

    private string _root = "";
    private StorageSet _storage = null!;
    private RecordingNotifier _notifications = new();

    [SetUp]
    public async Task SetUp()
    {
        _notifications = new RecordingNotifier();
        _root = Directory.CreateTempSubdirectory("mlops-ml-results-").FullName;
        _storage = await MlOpsStorage.OpenSqliteAsync(Path.Combine(_root, "home"), CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _storage.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Test]
    public async Task Execute_StepMessageNamesASecret_NoteIsRedactedAndTheFieldsAreKept()
    {
        var (run, steps, _) = await RunAsync(new Fixed(StepKind.DataPrep, new PrepResult { Rows = 10, TrainRows = 8, TestRows = 2, Watermark = Newest },
            $"prepared 10 rows from database {Secret}"));

        Assert.That(run.Status, Is.EqualTo(RunStatus.Succeeded), run.Error);
        var prep = steps["prep"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prep.Result?.Note, Does.Not.Contain(Secret));
            Assert.That(prep.Result?.Note, Is.EqualTo("prepared 10 rows from database (value of ${env:WAREHOUSE_DB})"));
            Assert.That(prep.Result, Is.EqualTo(new PrepResult { Rows = 10, TrainRows = 8, TestRows = 2, Watermark = Newest, Note = prep.Result?.Note }));
        }
    }

    [Test]
    public async Task Execute_StepSetsItsOwnNote_TheRecordedNoteIsTheRedactedMessage()
    {
        var (_, steps, _) = await RunAsync(new Fixed(StepKind.DataPrep, new PrepResult { Rows = 10, Note = $"sneaked {Secret}" }, "prepared 10 rows"));

        Assert.That(steps["prep"].Result?.Note, Is.EqualTo("prepared 10 rows"));
    }

    [Test]
    public async Task Execute_StepWithoutResultSaysSomething_RecordsTheNoteAlone()
    {
        var (_, steps, _) = await RunAsync(new Fixed(StepKind.Train, null, $"nothing to train in {Secret}", StepStatus.Skipped));

        Assert.That(steps["train"].Result, Is.EqualTo(new NoteResult { Note = "nothing to train in (value of ${env:WAREHOUSE_DB})" }));
    }

    [Test]
    public async Task Execute_FailedStep_KeepsItsResultWithoutANote()
    {
        var (run, steps, _) = await RunAsync(new Fixed(StepKind.Train, new TrainResult { Task = MlTask.Binary, Trainer = "sdca" }, "gate failed", StepStatus.Failed));

        Assert.That(run.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(steps["train"].Result, Is.EqualTo(new TrainResult { Task = MlTask.Binary, Trainer = "sdca" }));
        Assert.That(steps["train"].Error, Is.EqualTo("gate failed"));
    }

    [Test]
    public async Task Execute_Succeeded_RunModelAndWatermarkComeFromTheTypedResults()
    {
        var (run, _, watermarks) = await RunAsync(
            new Fixed(StepKind.DataPrep, new PrepResult { Rows = 10, Watermark = Newest }, "prepared"),
            new Fixed(StepKind.Deploy, new DeployResult { Deployed = new ModelRef("churn", 7) }, "deployed"));

        Assert.That(run.Status, Is.EqualTo(RunStatus.Succeeded), run.Error);
        Assert.That(run.Model, Is.EqualTo(new ModelRef("churn", 7)));
        Assert.That(await watermarks.GetAsync("warehouse-churn", CancellationToken.None), Is.EqualTo(Newest));
    }

    [Test]
    public async Task Execute_DeployWithoutAResult_RunHasNoModel()
    {
        var (run, _, watermarks) = await RunAsync(
            new Fixed(StepKind.DataPrep, new PrepResult { Rows = 0, Empty = true }, "no rows newer than the watermark"),
            new Fixed(StepKind.Deploy, null, "nothing to deploy", StepStatus.Skipped));

        Assert.That(run.Status, Is.EqualTo(RunStatus.Succeeded), run.Error);
        Assert.That(run.Model, Is.Null);
        Assert.That(await watermarks.GetAsync("warehouse-churn", CancellationToken.None), Is.Null, "no timestamp consumed");
    }

    [Test]
    public async Task Execute_GateRejectsTheCandidate_GateFailedThenRunFailed_RedactedWithThePipelinesOwnHooks()
    {
        var (run, _, _) = await RunAsync(
            new Fixed(StepKind.Train, new EvaluateResult { Chosen = "train", Rejected = true }, $"gate auc >= 0.9 failed: 0.71 on {Secret}", StepStatus.Failed));

        Assert.That(run.Status, Is.EqualTo(RunStatus.Failed));
        var events = _notifications.Published;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Select(e => e.Notification.Event), Is.EqualTo(new[] { NotifyEvent.GateFailed, NotifyEvent.RunFailed }));
            Assert.That(events.Select(e => e.Notification.RunId), Is.All.EqualTo(run.RunId));
            Assert.That(events[0].Notification.StepId, Is.EqualTo("train"));
            Assert.That(events[0].Notification.Text, Does.Contain("failed its gates").And.Contain("gate auc >= 0.9 failed: 0.71"));
            Assert.That(events.Select(e => e.Notification.Text), Has.None.Contain(Secret));
            Assert.That(events.Select(e => e.Hooks), Is.All.Null, "the pipeline has no notify: the host's default webhooks apply");
            Assert.That(events[0].Redactor.Redact(Secret), Is.Not.EqualTo(Secret), "the sender gets the run's redactor");
        }
    }

    [Test]
    public async Task Execute_Deploys_ModelDeployedOnly()
    {
        var (run, _, _) = await RunAsync(new Fixed(StepKind.Deploy, new DeployResult { Deployed = new ModelRef("churn", 7) }, "deployed"));

        Assert.That(run.Status, Is.EqualTo(RunStatus.Succeeded), run.Error);
        Assert.That(_notifications.Published.Select(e => e.Notification.Event), Is.EqualTo(new[] { NotifyEvent.ModelDeployed }));
        Assert.That(_notifications.Published[0].Notification.Text, Does.Contain("churn version 7 deployed to production"));
    }

    [TestCase(MonitorVerdict.Drift, "drift")]
    [TestCase(MonitorVerdict.Performance, "a performance drop")]
    public async Task Execute_MonitorFindsDriftOrAPerformanceDrop_DriftFoundWithTheStepsNote(MonitorVerdict verdict, string found)
    {
        var monitor = new MonitorResult { Verdict = verdict, WindowRows = 500, WindowSource = WindowSource.Data, ModelVersion = 3, WorstFeature = "season", WorstScore = 2.35 };
        await RunAsync(new Fixed(StepKind.Train, monitor, "drift on season: PSI 2.3526 > 0.2"));

        Assert.That(_notifications.Published.Select(e => e.Notification.Event), Is.EqualTo(new[] { NotifyEvent.DriftFound }));
        Assert.That(_notifications.Published[0].Notification.Text, Does.Contain($"found {found} on model version 3: drift on season: PSI 2.3526 > 0.2"));
    }

    [Test]
    public async Task Execute_MonitorOk_NothingPublished()
    {
        await RunAsync(new Fixed(StepKind.Train, new MonitorResult { Verdict = MonitorVerdict.Ok, WindowRows = 500, WindowSource = WindowSource.Data, ModelVersion = 3 }, "no drift"));

        Assert.That(_notifications.Published, Is.Empty);
    }

    [Test]
    public async Task Execute_DeployHeldBack_NoModelDeployed()
    {
        var (run, _, _) = await RunAsync(new Fixed(StepKind.Deploy, new DeployResult { Deployed = new ModelRef("churn", 7), HeldBack = "too few rows" }, "registered"));

        Assert.That(run.Status, Is.EqualTo(RunStatus.Succeeded), run.Error);
        Assert.That(_notifications.Published, Is.Empty);
    }

    /// <summary>Runs the pipeline with the given executors, every other kind succeeding with nothing to say.</summary>
    private async Task<(RunRecord Run, Dictionary<string, StepRecord> Steps, InMemoryWatermarkStore Watermarks)> RunAsync(params Fixed[] executors)
    {
        var loader = new PipelineLoader(
            new PipelineLoaderOptions { DataRoot = _root, Environment = name => name == "WAREHOUSE_DB" ? Secret : null }, MlNetTrainerCatalog.Default, new NoCron());
        var loaded = loader.Parse(Yaml, Path.Combine(_root, "pipeline.yaml"), "pipeline.yaml");
        Assert.That(loaded.Errors, Is.Empty, string.Join("\n", loaded.Errors));
        var all = Enum.GetValues<StepKind>().Select(kind => executors.FirstOrDefault(e => e.Kind == kind) ?? new Fixed(kind, null, null)).ToList();
        var watermarks = new InMemoryWatermarkStore();
        var executor = new RunExecutor(
            _storage.Runs, _storage.RunExecution, watermarks, all,
            new RunDefinitionLoader(loader), _notifications, TimeProvider.System, NullLogger<RunExecutor>.Instance);
        var (launched, _) = await new RunLauncher(_storage.Runs, TimeProvider.System).LaunchAsync(
            new RunRequest { Definition = loaded.Definition!, Yaml = Yaml }, CancellationToken.None);

        var run = await executor.ExecuteAsync(launched.RunId, null, CancellationToken.None);

        var steps = await _storage.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        return (run, steps.ToDictionary(s => s.StepId, StringComparer.Ordinal), watermarks);
    }

    private sealed class RecordingNotifier : INotifier
    {
        public List<(Notification Notification, IReadOnlyList<NotifySpec>? Hooks, SecretRedactor Redactor)> Published { get; } = [];

        public void Publish(Notification notification, IReadOnlyList<NotifySpec>? pipelineHooks, SecretRedactor redactor) =>
            Published.Add((notification, pipelineHooks, redactor));
    }

    private sealed class Fixed(StepKind kind, StepResult? result, string? message, StepStatus status = StepStatus.Succeeded) : IStepExecutor
    {
        public StepKind Kind => kind;

        public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct) =>
            Task.FromResult(new StepOutcome { Status = status, Result = result, Message = message });
    }
}
