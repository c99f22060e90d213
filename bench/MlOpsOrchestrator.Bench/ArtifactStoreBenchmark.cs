using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using static MlOpsOrchestrator.Bench.Percentiles;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// What keeping artifacts in PostgreSQL costs against files, in the same PostgreSQL mode and the same process:
/// deploying and loading a 50 MB ML.NET model (write it through the store, then, as a serve with an empty cache, fetch
/// it and load it with ML.NET), the managed memory that fetch allocates, and the wall time of a tiny run
/// (data_prep → train → evaluate → deploy over 200 rows) whose artifacts go to the database or to files.
/// </summary>
public sealed class ArtifactStoreBenchmark : IBenchmark
{
    private const string Pipeline = "churn-artifacts";
    private const int Rows = 200;
    private const int WarmUp = 5;
    private const int Runs = 40;
    private const long TargetModelBytes = 50L << 20;

    public string Name => "artifact-store";

    public string Description => "artifacts in PostgreSQL vs files: deploy and load of a 50 MB model, fetch memory, a tiny run's time";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("mlops-bench-artifacts-").FullName;
        try
        {
            await using var server = await RunOverheadBenchmark.PostgresServer.OpenAsync(ct);
            if (server is null)
            {
                Console.Error.WriteLine("  no PostgreSQL server (set MLOPS_BENCH_POSTGRES or install PostgreSQL); nothing measured");
                return [];
            }

            var options = new StorageOptions { PostgresSchema = server.Schema };
            var figures = new List<Figure>();
            figures.AddRange(await ModelFiguresAsync(server, options, root, ct));
            figures.Add(await TinyRunFigureAsync(server, options, root, ct));
            return figures;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<Figure>> ModelFiguresAsync(RunOverheadBenchmark.PostgresServer server, StorageOptions options, string root, CancellationToken ct)
    {
        var model = Path.Combine(root, "big-model.zip");
        var size = BigModel.Write(model, TargetModelBytes);
        Console.Error.WriteLine(Invariant($"  model: {size / 1048576.0:0.0} MB"));

        var files = MlOpsStorage.OpenArtifacts(Path.Combine(root, "home-files"));
        var fileTimes = new List<(double Deploy, double Load)>();
        var databaseTimes = new List<(double Deploy, double Load)>();
        var fetchAllocated = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            fileTimes.Add(await DeployAndLoadAsync(files, files, $"runs/r{round}/train/model.zip", model, ct));
            await using var writer = await MlOpsStorage.OpenPostgresAsync(server.ConnectionString, Path.Combine(root, $"home-worker-{round}"), options, ct);
            await using var reader = await MlOpsStorage.OpenPostgresAsync(server.ConnectionString, Path.Combine(root, $"home-serve-{round}"), options, ct);
            var name = $"runs/r{round}/train/model.zip";
            var deployStarted = Stopwatch.GetTimestamp();
            await writer.Artifacts.ImportAsync(name, model, ct);
            var deploy = Stopwatch.GetElapsedTime(deployStarted).TotalMilliseconds;
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var loadStarted = Stopwatch.GetTimestamp();
            var path = reader.Artifacts.PathOf(name);
            fetchAllocated.Add((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0);
            Load(path);
            databaseTimes.Add((deploy, Stopwatch.GetElapsedTime(loadStarted).TotalMilliseconds));
            Console.Error.WriteLine(Invariant($"  round {round}: files deploy {fileTimes[^1].Deploy:0} ms load {fileTimes[^1].Load:0} ms; database deploy {deploy:0} ms load {databaseTimes[^1].Load:0} ms, fetch allocated {fetchAllocated[^1]:0.0} MB"));
        }

        var ours = Median([.. databaseTimes.Select(t => t.Deploy + t.Load)]);
        var baseline = Median([.. fileTimes.Select(t => t.Deploy + t.Load)]);
        var megabytes = size / 1048576.0;
        var allocated = fetchAllocated.Max();
        var setup = Invariant($"a {megabytes:0.0} MB ML.NET model zip (a term dictionary), median of 3 rounds; deploy = write through the store (database: chunks in one transaction; files: fsync and rename), load = a serve with an empty cache getting a local path and ML.NET loading it; ")
            + Invariant($"database deploy {Median([.. databaseTimes.Select(t => t.Deploy)]):0} ms + load {Median([.. databaseTimes.Select(t => t.Load)]):0} ms, files deploy {Median([.. fileTimes.Select(t => t.Deploy)]):0} ms + load {Median([.. fileTimes.Select(t => t.Load)]):0} ms; {server.Description}");
        return
        [
            new Figure("artifact-store.model-50mb", "Deploy and load of a 50 MB model, database vs files", ours, baseline, "ms", "≤ 1.5× files", ours <= 1.5 * baseline, setup),
            new Figure("artifact-store.fetch-memory", "Managed memory allocated fetching a 50 MB model from the database", allocated, megabytes, "MB",
                "≤ model size + 8 MB", allocated <= megabytes + 8,
                Invariant($"GC.GetTotalAllocatedBytes around the cold fetch (chunks streamed into the cache file), the largest of 3 rounds; baseline = the model's size; {server.Description}")),
        ];
    }

    private static async Task<(double Deploy, double Load)> DeployAndLoadAsync(IArtifactStore writer, IArtifactStore reader, string name, string model, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await writer.ImportAsync(name, model, ct);
        var deploy = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        started = Stopwatch.GetTimestamp();
        Load(reader.PathOf(name));
        return (deploy, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static void Load(string path)
    {
        var ml = new MLContext(seed: 1);
        _ = ml.Model.Load(path, out _);
    }

    private static async Task<Figure> TinyRunFigureAsync(RunOverheadBenchmark.PostgresServer server, StorageOptions options, string root, CancellationToken ct)
    {
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        await SampleGenerators.WriteAsync(new CustomerChurnGenerator(), new SampleSettings { Rows = Rows, Seed = 11 }, Path.Combine(data, "churn.csv"), ct);
        var yamlPath = Path.Combine(data, "pipeline.yaml");
        await File.WriteAllTextAsync(yamlPath, ChurnPipeline.Yaml(Pipeline, threads: 1), ct);
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = data }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        var definition = loader.LoadFile(yamlPath).Definition ?? throw new InvalidOperationException("the benchmark pipeline does not load");
        var yaml = await File.ReadAllTextAsync(yamlPath, ct);

        var home = Path.Combine(root, "home-runs");
        await using var storage = await MlOpsStorage.OpenPostgresAsync(server.ConnectionString, home, options, ct);
        var fileStore = MlOpsStorage.OpenArtifacts(home);
        await using var database = BenchProduct.Compose(storage, data);
        await using var files = BenchProduct.Compose(storage, data, configure: s => s.AddSingleton(fileStore));
        var wall = new Dictionary<string, List<double>> { ["database"] = [], ["files"] = [] };
        for (var i = 0; i < WarmUp + Runs; i++)
        {
            // Alternated, so both see the same state of the machine.
            foreach (var (key, product) in new[] { ("database", database), ("files", files) })
            {
                var started = Stopwatch.GetTimestamp();
                var (run, _) = await product.GetRequiredService<RunLauncher>().LaunchAsync(new RunRequest { Definition = definition, Yaml = yaml }, ct);
                var finished = await product.GetRequiredService<RunExecutor>().ExecuteAsync(run.RunId, null, ct);
                if (finished.Status != RunStatus.Succeeded)
                {
                    throw new InvalidOperationException($"run {run.RunId} {StatusNames.Of(finished.Status)}: {finished.Error}");
                }

                if (i >= WarmUp)
                {
                    wall[key].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }

        var ours = Median(wall["database"]);
        var baseline = Median(wall["files"]);
        return new Figure("artifact-store.tiny-run", "A tiny run in PostgreSQL mode, artifacts in the database vs files", ours, baseline, "ms", "≤ 1.10× files", ours <= 1.10 * baseline,
            Invariant($"median wall time of {Runs} runs each (after {WarmUp} warm-up runs), alternated, of data_prep → train → evaluate → deploy over {Rows} customer-churn rows in process, the same PostgreSQL stores, artifacts in the database or under the home; p90 {Of(wall["database"], 90):0.0} vs {Of(wall["files"], 90):0.0} ms; {server.Description}"));
    }
}
