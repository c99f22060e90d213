using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Monitoring.Support;

/// <summary>
/// Runs a pipeline's steps through the real executors the way the run executor does (a definition loaded from YAML by
/// the real loader, the step records persisted so far, a real artifact folder), with in-memory registry, monitoring
/// store and prediction log, and a clock the test moves.
/// </summary>
internal sealed class MonitoringHarness : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mlops-ml-monitoring-").FullName;

    public MonitoringHarness()
    {
        DataRoot = Path.Combine(_temp, "data");
        Directory.CreateDirectory(DataRoot);
    }

    public string DataRoot { get; }

    public FolderArtifactStore Artifacts { get; } = new();

    public InMemoryModelRegistry Registry { get; } = new();

    public InMemoryEvaluationStore Evaluations { get; } = new();

    public InMemoryPredictionLog Predictions { get; } = new();

    public ManualClock Clock { get; } = new(new DateTimeOffset(2025, 9, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>What retrain steps start runs with; set by a test that executes one (<see cref="NewRetrain"/>).</summary>
    public RunStarter? Starter { get; set; }

    /// <summary>The executors, each given the harness's stores and clock, as the composition gives them the product's.</summary>
    public DataPrepExecutor NewDataPrep() => new(TestSources.BuiltIn, Artifacts, new NoWatermarks(), Registry);

    /// <summary>What train and evaluate steps wrote to the evaluation store.</summary>
    public InMemoryModelEvaluationStore ModelEvaluations { get; } = new();

    public TrainExecutor NewTrain() => new(Artifacts, Registry, ModelEvaluations, Clock);

    public EvaluateExecutor NewEvaluate() => new(Artifacts, Registry, ModelEvaluations, Clock);

    public DeployExecutor NewDeploy() => new(Artifacts, Registry, Clock);

    public MonitorExecutor NewMonitor() => new(TestSources.BuiltIn, Artifacts, Registry, Evaluations, Predictions, Clock);

    public RetrainExecutor NewRetrain() => new(Registry, Starter ?? throw new InvalidOperationException("set the harness's Starter before executing a retrain step"));

    public PipelineDefinition? Definition { get; private set; }

    public RunRecord Run { get; private set; } = null!;

    public Dictionary<string, StepRecord> Records { get; } = new(StringComparer.Ordinal);

    public string PathOf(string name) => Path.Combine(DataRoot, name);

    /// <summary>Loads the pipeline (its data file must exist: the loader reads the CSV header) and starts run <c>run-1</c>.</summary>
    public PipelineDefinition Load(string yaml)
    {
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = DataRoot, Environment = _ => null }, MlNetTrainerCatalog.Default, new NoCron());
        var result = loader.Parse(yaml, Path.Combine(DataRoot, "pipeline.yaml"), "pipeline.yaml");
        Assert.That(result.Errors, Is.Empty, "the test pipeline must load: " + string.Join("\n", result.Errors));
        Definition = result.Definition!;
        NewRun("run-1");
        return Definition;
    }

    /// <summary>A new run of the same pipeline: step records are forgotten, stores and registry kept.</summary>
    public void NewRun(string runId, string yaml = "")
    {
        Records.Clear();
        Run = new RunRecord
        {
            RunId = runId,
            Pipeline = Definition!.Name,
            PipelineVersion = Definition.Version,
            PipelineFile = Definition.SourceFile,
            PipelineYaml = yaml,
            Trigger = "manual",
            Mode = RunMode.Full,
            Level = Definition.Maturity.Level,
            CreatedAt = Clock.GetUtcNow(),
        };
    }

    /// <summary>Continues as <paramref name="run"/> (a run launched into a real run store), with no step records yet.</summary>
    public void UseRun(RunRecord run)
    {
        Records.Clear();
        Run = run;
    }

    /// <summary>Records a finished step as if it had run in the current run.</summary>
    public void Record(string stepId, StepStatus status, StepResult result) =>
        Records[stepId] = new StepRecord
        {
            RunId = Run.RunId,
            StepId = stepId,
            Kind = PlanBuilder.KindName(Definition!.Spec.Step(stepId)!.Kind),
            Status = status,
            Attempts = 1,
            Result = result,
        };

    public StepContext Context(string stepId) => new()
    {
        Run = Run,
        Definition = Definition!,
        Step = Definition!.Spec.Step(stepId) ?? throw new ArgumentException($"no step '{stepId}'", nameof(stepId)),
        Steps = Records,
        Logger = NullLogger.Instance,
    };

    /// <summary>Executes a step and records its outcome as the run executor would.</summary>
    public async Task<StepOutcome> ExecuteAsync(IStepExecutor executor, string stepId, Func<StepContext, StepContext>? adjust = null)
    {
        var context = Context(stepId);
        var outcome = await executor.ExecuteAsync(adjust is null ? context : adjust(context), CancellationToken.None);
        Records[stepId] = new StepRecord
        {
            RunId = Run.RunId,
            StepId = stepId,
            Kind = PlanBuilder.KindName(context.Step.Kind),
            Status = outcome.Status,
            Attempts = 1,
            Metrics = outcome.Metrics,
            Artifacts = outcome.Artifacts,
            Result = outcome.Result,
            Error = outcome.Status == StepStatus.Failed ? outcome.Message : null,
        };
        return outcome;
    }

    /// <summary>data_prep, train, evaluate and deploy through the real executors; each must succeed.</summary>
    public async Task TrainAndDeployAsync()
    {
        foreach (var (step, executor) in new (string, IStepExecutor)[]
        {
            ("prep", NewDataPrep()), ("train", NewTrain()), ("evaluate", NewEvaluate()), ("deploy", NewDeploy()),
        })
        {
            var outcome = await ExecuteAsync(executor, step);
            Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), $"{step}: {outcome.Message}");
        }
    }

    public Task<StepOutcome> MonitorAsync(Func<StepContext, StepContext>? adjust = null) => ExecuteAsync(NewMonitor(), "monitor", adjust);

    public void Dispose()
    {
        Artifacts.Dispose();
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
