using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Tests.Data;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>
/// Whole runs through the real run executor (which advances the watermark only when a run succeeds) and the real
/// data_prep, train, evaluate and deploy executors, on generated CSV files that grow between runs; the product composed
/// by <c>AddMlOps</c> as a one-shot command composes it (embedded SQLite run store), with registry and watermarks in
/// memory and artifacts in a temporary folder in place of the product's, for the tests to look into.
/// </summary>
internal sealed class IncrementalHarness : IAsyncDisposable
{
    private readonly string _root;
    private readonly ServiceProvider _services;
    private readonly StorageSet _storage;
    private readonly PipelineLoader _loader;
    private readonly RunExecutor _executor;

    private IncrementalHarness(string root, string dataRoot, ServiceProvider services)
    {
        _root = root;
        _services = services;
        DataRoot = dataRoot;
        _storage = services.GetRequiredService<StorageSet>();
        _loader = services.GetRequiredService<PipelineLoader>();
        _executor = services.GetRequiredService<RunExecutor>();
    }

    public string DataRoot { get; }

    public FolderArtifactStore Artifacts => _services.GetRequiredService<FolderArtifactStore>();

    public InMemoryModelRegistry Registry => _services.GetRequiredService<InMemoryModelRegistry>();

    public InMemoryWatermarkStore Watermarks => _services.GetRequiredService<InMemoryWatermarkStore>();

    public IRunRepository Runs => _storage.Runs;

    public static async Task<IncrementalHarness> OpenAsync()
    {
        var root = Directory.CreateTempSubdirectory("mlops-ml-incremental-").FullName;
        var dataRoot = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var services = new ServiceCollection()
            .AddSingleton(new PipelineLoaderOptions { DataRoot = dataRoot, Environment = _ => null })
            .AddSingleton<ICronEvaluator>(new NoCron())
            .AddMlOps(mlops => mlops.UseSqlite(Path.Combine(root, "home")).UseInProcess());

        // The tests look into the registry, the watermarks and the artifact folder: these replace the product's stores.
        services.AddSingleton<FolderArtifactStore>().AddSingleton<IArtifactStore>(sp => sp.GetRequiredService<FolderArtifactStore>());
        services.AddSingleton<InMemoryModelRegistry>().AddSingleton<IModelRegistry>(sp => sp.GetRequiredService<InMemoryModelRegistry>());
        services.AddSingleton<InMemoryWatermarkStore>().AddSingleton<IWatermarkStore>(sp => sp.GetRequiredService<InMemoryWatermarkStore>());
        var provider = services.BuildMlOpsServiceProvider();
        await provider.OpenMlOpsStorageAsync(CancellationToken.None);
        return new IncrementalHarness(root, dataRoot, provider);
    }

    public MLContext Ml { get; } = new(seed: 1);

    /// <summary>Writes a generated CSV (header and rows); <paramref name="keep"/> leaves rows out, <paramref name="first"/> moves one to the front.</summary>
    public void Write(string file, ISampleGenerator generator, SampleSettings settings, Func<string, bool>? keep = null, Func<string, bool>? first = null) =>
        File.WriteAllLines(Path.Combine(DataRoot, file), [generator.Header, .. Lines(generator, settings, keep, first)]);

    /// <summary>Appends generated rows to a CSV written before: the new rows of the next incremental run.</summary>
    public void Append(string file, ISampleGenerator generator, SampleSettings settings, Func<string, bool>? keep = null, Func<string, bool>? first = null) =>
        File.AppendAllLines(Path.Combine(DataRoot, file), Lines(generator, settings, keep, first));

    /// <summary>Launches and executes one run of <paramref name="yaml"/> (saved as the pipeline file) to its end.</summary>
    public async Task<RunResult> RunAsync(string yaml, RunMode mode)
    {
        var file = Path.Combine(DataRoot, "pipeline.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var loaded = _loader.Parse(yaml, file, "pipeline.yaml");
        Assert.That(loaded.Errors, Is.Empty, "the test pipeline must load: " + string.Join("\n", loaded.Errors));
        var (run, _) = await new RunLauncher(Runs, TimeProvider.System).LaunchAsync(
            new RunRequest { Definition = loaded.Definition!, Yaml = yaml, Mode = mode }, CancellationToken.None);
        var progress = new Collected();
        var finished = await _executor.ExecuteAsync(run.RunId, progress, CancellationToken.None);
        var steps = await Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        return new RunResult(finished, steps.ToDictionary(s => s.StepId, StringComparer.Ordinal), progress.Lines);
    }

    /// <summary>The version the alias points at, with its registration.</summary>
    public async Task<ModelVersion?> ProductionAsync(string model)
    {
        var aliases = await Registry.GetAliasesAsync(model, CancellationToken.None);
        return aliases.TryGetValue("production", out var version) ? await Registry.GetAsync(model, version, CancellationToken.None) : null;
    }

    public ITransformer LoadModel(ModelVersion version) => ModelFile.Load(Ml, Artifacts.PathOf(version.ArtifactPath));

    public ITransformer LoadModel(StepRecord train) => ModelFile.Load(Ml, Artifacts.PathOf(train.Artifacts[ArtifactNames.Model]));

    public DatasetSchema Schema(StepRecord step) => StepArtifacts.ReadSchema(Artifacts.PathOf(step.Artifacts[ArtifactNames.Schema]));

    /// <summary>An <c>.idv</c> artifact of a step (train, test, window), loaded.</summary>
    public IDataView Dataset(StepRecord step, string artifact) => Ml.Data.LoadFromBinary(Artifacts.PathOf(step.Artifacts[artifact]));

    /// <summary>The <c>Features</c> vectors the model's featurization (its chain without the predictor and what follows) makes of <paramref name="rows"/>.</summary>
    public static List<float[]> Features(ITransformer model, IDataView rows)
    {
        var parts = ((TransformerChain<ITransformer>)model).ToArray();
        var predictor = Array.FindLastIndex(parts, p => p is IPredictionTransformer<object>);
        var featurized = new TransformerChain<ITransformer>(parts[..predictor]).Transform(rows);
        var column = featurized.Schema[Featurizer.FeaturesColumn];
        var vectors = new List<float[]>();
        using var cursor = featurized.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            vectors.Add(value.DenseValues().ToArray());
        }

        return vectors;
    }

    /// <summary>The values of a text column of a dataset.</summary>
    public static List<string> Strings(IDataView view, string name)
    {
        var column = view.Schema[name];
        var values = new List<string>();
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        var value = default(ReadOnlyMemory<char>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value.ToString());
        }

        return values;
    }

    /// <summary>The values of a datetime column of a dataset.</summary>
    public static List<DateTime> Times(IDataView view, string name)
    {
        var column = view.Schema[name];
        var values = new List<DateTime>();
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<DateTime>(column);
        var value = default(DateTime);
        while (cursor.MoveNext())
        {
            getter(ref value);
            values.Add(value);
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync(); // the artifact folder with it
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    private static List<string> Lines(ISampleGenerator generator, SampleSettings settings, Func<string, bool>? keep, Func<string, bool>? first)
    {
        var lines = generator.Rows(settings).Where(keep ?? (_ => true)).ToList();
        var index = first is null ? -1 : lines.FindIndex(l => first(l));
        if (index > 0)
        {
            var line = lines[index];
            lines.RemoveAt(index);
            lines.Insert(0, line);
        }

        return lines;
    }

    /// <summary>Progress reported synchronously, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Collected : IProgress<RunProgress>
    {
        public List<string> Lines { get; } = [];

        public void Report(RunProgress value)
        {
            lock (Lines)
            {
                Lines.Add(value.Message);
            }
        }
    }
}
