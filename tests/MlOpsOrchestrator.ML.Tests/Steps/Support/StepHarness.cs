using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>
/// Runs ML step executors the way the run executor does: a pipeline definition, a run, the step records persisted so
/// far, a real artifact folder and an in-memory registry. <see cref="PrepareAsync"/> stands in for data_prep and writes
/// train.idv, test.idv, schema.json and a profile in the contract's format.
/// </summary>
internal sealed class StepHarness : IDisposable
{
    private static readonly SourceMark Mark = new(1, 1);

    public StepHarness(string pipeline, params StepSpec[] steps)
    {
        Definition = new PipelineDefinition
        {
            Spec = new PipelineSpec
            {
                Name = pipeline,
                Data = new DataSpec { Source = new SourceSpec { Type = SourceType.Csv, Path = "/data/rows.csv", Mark = Mark }, Label = "label" },
                Steps = steps,
            },
            SourceFile = $"/pipelines/{pipeline}.yaml",
            Version = "pipeline-version-1",
            Maturity = new MaturityAssessment(0, [], []),
        };
    }

    public PipelineDefinition Definition { get; set; }

    public FolderArtifactStore Artifacts { get; } = new();

    public InMemoryModelRegistry Registry { get; } = new();

    public List<string> Progress { get; } = [];

    /// <summary>The clock the executors are given.</summary>
    public TimeProvider Time { get; } = new FixedTime(new DateTimeOffset(2024, 6, 1, 12, 30, 0, TimeSpan.Zero));

    /// <summary>The executors, each given the harness's artifact folder, registry and clock, as the composition gives them the product's.</summary>
    public DataPrepExecutor NewDataPrep(SourceReaders sources) => new(sources, Artifacts, new NoWatermarks(), Registry);

    /// <summary>What train and evaluate steps wrote to the evaluation store.</summary>
    public InMemoryModelEvaluationStore Evaluations { get; } = new();

    public TrainExecutor NewTrain() => new(Artifacts, Registry, Evaluations, Time);

    public EvaluateExecutor NewEvaluate() => new(Artifacts, Registry, Evaluations, Time);

    public DeployExecutor NewDeploy() => new(Artifacts, Registry, Time);

    public string RunId { get; private set; } = "run-1";

    /// <summary>The trigger the harness's runs record (<c>manual</c> unless a test says otherwise).</summary>
    public string Trigger { get; set; } = "manual";

    public Dictionary<string, StepRecord> Records { get; private set; } = new(StringComparer.Ordinal);

    public static TrainStep Train(string id, MlTask task, string trainer, IReadOnlyDictionary<string, object>? options = null,
        IReadOnlyList<string>? features = null, string needs = "prep") => new()
        {
            Id = id, Mark = Mark, Needs = [needs], Task = task, Trainer = trainer, Features = features,
            Options = options ?? new Dictionary<string, object>(),
        };

    /// <summary>
    /// An evaluate step over the harness's hundred-odd synthetic test rows: <c>min_rows</c> is lowered to 1 so the step
    /// tests see the gates and the deploy mechanics; min_rows itself is tested on its own (EvaluateDecisionTests).
    /// </summary>
    public static EvaluateStep Evaluate(string id, IReadOnlyList<string> needs, string? primary = null, params GateSpec[] gates) =>
        new() { Id = id, Mark = Mark, Needs = needs, PrimaryMetric = primary, Gates = gates, MinRows = 1 };

    public static GateSpec Gate(string metric, GateKind kind, double value) => new(metric, kind, value, Mark);

    public static DeployStep Deploy(string id, string needs, string model) => new() { Id = id, Mark = Mark, Needs = [needs], Model = model };

    public static DataPrepStep Prep(string id = "prep") => new() { Id = id, Mark = Mark };

    /// <summary>A new run of the same pipeline: earlier step records are forgotten, the store and registry kept.</summary>
    public void NewRun(string runId)
    {
        RunId = runId;
        Records = new Dictionary<string, StepRecord>(StringComparer.Ordinal);
    }

    /// <summary>Writes prepared data for the step <paramref name="stepId"/> and records it as a finished data_prep step.</summary>
    public async Task<StepRecord> PrepareAsync(
        DatasetSchema schema, IReadOnlyList<SyntheticRow> train, IReadOnlyList<SyntheticRow> test, string stepId = "prep", bool empty = false)
    {
        var prefix = $"runs/{RunId}/{stepId}";
        var ml = new MLContext(seed: 1);
        await WriteIdvAsync(ml, $"{prefix}/train.idv", train);
        await WriteIdvAsync(ml, $"{prefix}/test.idv", test);
        await Artifacts.WriteAsync($"{prefix}/schema.json", (s, ct) => DatasetSchemaJson.WriteAsync(s, schema, ct), CancellationToken.None);
        await Artifacts.WriteAsync($"{prefix}/profile.json", (s, ct) => s.WriteAsync("{}"u8.ToArray(), ct).AsTask(), CancellationToken.None);
        var record = new StepRecord
        {
            RunId = RunId,
            StepId = stepId,
            Kind = "data_prep",
            Status = StepStatus.Succeeded,
            Artifacts = new Dictionary<string, string>
            {
                [ArtifactNames.Train] = $"{prefix}/train.idv",
                [ArtifactNames.Test] = $"{prefix}/test.idv",
                [ArtifactNames.Schema] = $"{prefix}/schema.json",
                [ArtifactNames.Profile] = $"{prefix}/profile.json",
            },
            Result = new PrepResult
            {
                Rows = train.Count + test.Count, TrainRows = train.Count, TestRows = test.Count, DataHash = $"hash-of-{RunId}", Empty = empty,
            },
        };
        Records[stepId] = record;
        return record;
    }

    public StepContext Context(string stepId) => new()
    {
        Run = new RunRecord
        {
            RunId = RunId,
            Pipeline = Definition.Name,
            PipelineVersion = Definition.Version,
            PipelineFile = Definition.SourceFile,
            PipelineYaml = "",
            Trigger = Trigger,
            Mode = RunMode.Full,
            Level = 0,
            CreatedAt = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero),
        },
        Definition = Definition,
        Step = Definition.Spec.Step(stepId) ?? throw new ArgumentException($"no step '{stepId}'", nameof(stepId)),
        Steps = Records,
        Logger = NullLogger.Instance,
        Progress = message =>
        {
            lock (Progress)
            {
                Progress.Add(message);
            }
        },
    };

    /// <summary>Executes a step and records its outcome as the run executor would.</summary>
    public async Task<StepOutcome> ExecuteAsync(IStepExecutor executor, string stepId)
    {
        var context = Context(stepId);
        var outcome = await executor.ExecuteAsync(context, CancellationToken.None);
        Records[stepId] = new StepRecord
        {
            RunId = RunId,
            StepId = stepId,
            Kind = KindWord(context.Step.Kind),
            Status = outcome.Status,
            Attempts = 1,
            Metrics = outcome.Metrics,
            Artifacts = outcome.Artifacts,
            Result = outcome.Result,
            Error = outcome.Status == StepStatus.Failed ? outcome.Message : null,
        };
        return outcome;
    }

    public void Dispose() => Artifacts.Dispose();

    private async Task WriteIdvAsync(MLContext ml, string path, IReadOnlyList<SyntheticRow> rows)
    {
        var view = ml.Data.LoadFromEnumerable(rows);
        await Artifacts.WriteAsync(path, (stream, _) =>
        {
            ml.Data.SaveAsBinary(view, stream, keepHidden: false);
            return Task.CompletedTask;
        }, CancellationToken.None);
    }

    private static string KindWord(StepKind kind) => kind switch
    {
        StepKind.DataPrep => "data_prep",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
