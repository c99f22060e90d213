using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>
/// Runs the real <see cref="DataPrepExecutor"/> on a pipeline loaded from YAML text by the real loader, with data
/// files in a temporary folder (or the shared real datasets) and artifacts written to another temporary folder.
/// </summary>
internal sealed class DataPrepHarness : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mlops-ml-data-tests-").FullName;
    private int _runs;

    public DataPrepHarness(string? dataRoot = null)
    {
        DataRoot = dataRoot ?? Path.Combine(_temp, "data");
        Directory.CreateDirectory(DataRoot);
        Artifacts = new TempArtifactStore(Path.Combine(_temp, "artifacts"));
    }

    public string DataRoot { get; }

    public TempArtifactStore Artifacts { get; }

    public InMemoryWatermarkStore Watermarks { get; } = new();
    public InMemoryModelRegistry Registry { get; } = new();

    public List<string> Progress { get; } = [];

    public MLContext Ml { get; } = new(seed: 1);

    /// <summary>The source readers data_prep opens sources with: the product's own unless a test registers others.</summary>
    public SourceReaders Sources { get; init; } = TestSources.BuiltIn;

    /// <summary>What <c>${env:NAME}</c> resolves to in the test pipelines (never the process environment).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="content"/> byte for byte as UTF-8 (a leading U+FEFF becomes a BOM).</summary>
    public string Write(string relative, string content)
    {
        var full = Path.Combine(DataRoot, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, new UTF8Encoding(false).GetBytes(content));
        return full;
    }

    /// <summary>
    /// A pipeline with one data_prep step <c>prep</c> and one train step: <paramref name="data"/> is the body of
    /// <c>data:</c>, <paramref name="prep"/> extra keys of the prep step, <paramref name="train"/> the train step's
    /// task and trainer (and features).
    /// </summary>
    public static string Pipeline(string data, string prep = "", string train = "task: regression\ntrainer: fast_tree") =>
        $"""
        version: 1
        name: data-test
        data:
        {Indent(data, 2)}
        steps:
          - id: prep
            kind: data_prep
        {Indent(prep, 4)}
          - id: train
            kind: train
            needs: [prep]
        {Indent(train, 4)}
        """;

    public PipelineDefinition Load(string yaml, string file = "pipeline.yaml")
    {
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = DataRoot, Environment = name => Environment.GetValueOrDefault(name) }, MlNetTrainerCatalog.Default, new AcceptingCronEvaluator());
        var result = loader.Parse(yaml, Path.Combine(DataRoot, file), file);
        Assert.That(result.Errors, Is.Empty, "the test pipeline must load: " + string.Join("\n", result.Errors));
        return result.Definition!;
    }

    public Task<StepOutcome> RunAsync(string yaml, RunMode mode = RunMode.Full) => RunAsync(Load(yaml), mode);

    /// <summary>Runs the prep step; a given <paramref name="runId"/> re-executes a step as after a crash, default a new run each time.</summary>
    public async Task<StepOutcome> RunAsync(PipelineDefinition definition, RunMode mode = RunMode.Full, string? runId = null)
    {
        var run = new RunRecord
        {
            RunId = runId ?? $"run-{++_runs}",
            Pipeline = definition.Name,
            PipelineVersion = definition.Version,
            PipelineFile = definition.SourceFile,
            PipelineYaml = "",
            Trigger = "manual",
            Mode = mode,
            Level = definition.Maturity.Level,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        var context = new StepContext
        {
            Run = run,
            Definition = definition,
            Step = definition.Spec.Steps.OfType<DataPrepStep>().First(),
            Steps = new Dictionary<string, StepRecord>(),
            Logger = NullLogger.Instance,
            Progress = Progress.Add,
        };
        return await new DataPrepExecutor(Sources, Artifacts, Watermarks, Registry).ExecuteAsync(context, CancellationToken.None);
    }

    public static StepRecord Record(StepOutcome outcome, string runId = "run-1") => new()
    {
        RunId = runId,
        StepId = "prep",
        Kind = "data_prep",
        Status = outcome.Status,
        Artifacts = outcome.Artifacts,
        Result = outcome.Result,
        Metrics = outcome.Metrics,
    };

    public PreparedData Prepared(StepOutcome outcome) => PreparedData.Load(Ml, Artifacts, Record(outcome));

    /// <summary>Runs a pipeline that must succeed; fails the test with the step's message otherwise.</summary>
    public async Task<StepOutcome> SucceedAsync(string yaml, RunMode mode = RunMode.Full)
    {
        var outcome = await RunAsync(yaml, mode);
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        return outcome;
    }

    /// <summary>Runs a pipeline that must fail and returns the message.</summary>
    public async Task<string> FailAsync(string yaml, RunMode mode = RunMode.Full)
    {
        var outcome = await RunAsync(yaml, mode);
        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed), "expected a failure, got: " + outcome.Message);
        return outcome.Message!;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Where(l => l.Length > 0).Select(l => new string(' ', spaces) + l));
}
