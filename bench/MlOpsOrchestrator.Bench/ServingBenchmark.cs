using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Storage;
using static MlOpsOrchestrator.Bench.Percentiles;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// Serving a model trained by the real pipeline (customer-churn sample data, lbfgs_logistic_regression, deployed to
/// <c>production</c>). In process: single-row latency of <see cref="ModelScorer"/> (JSON element in, predictions out)
/// against a bare ML.NET <c>PredictionEngine</c> on the same model zip and the same JSON element, bound to its row class. Over HTTP on loopback: <c>mlops serve</c>'s
/// predict endpoint against a bare ASP.NET Core endpoint with pooled prediction engines (<see cref="ServingBaseline"/>),
/// both child processes, each loaded open-loop at 1,000 requests/s and then closed-loop with 8 callers.
/// </summary>
public sealed class ServingBenchmark : IBenchmark
{
    internal const string Pipeline = "churn-serving-bench";
    private const int Rate = 1000;
    private const int Connections = 8;
    private const int Callers = 8;
    private const int Rounds = 10;
    private const int CallsPerRound = 2000;

    private static readonly TimeSpan OpenLoop = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ClosedLoop = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private const string Body =
        """{"tenure_months":12,"monthly_charges":70.5,"contract":"monthly","payment":"card","support_calls":3,"outages":1,"last_note":"price too high"}""";

    public string Name => "serving";

    public string Description => "single-row prediction in process and over HTTP (1,000 rps open loop, 8 callers closed loop) vs bare ML.NET PredictionEngine";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        return await BenchRoot.UseAsync("mlops-bench-serving-", root => MeasureAsync(root, ct));
    }

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(string root, CancellationToken ct)
    {
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var home = Path.Combine(root, "home");
        var (scorer, modelZip) = await TrainAsync(data, home, ct);
        var load = LoadAverage();

        var inProcess = InProcess(scorer, modelZip);
        Console.Error.WriteLine(Invariant($"  in process: ModelScorer p50 {inProcess.Ours.P50:0.0} µs p99 {inProcess.Ours.P99:0.0} µs; bind + PredictionEngine p50 {inProcess.Baseline.P50:0.0} µs p99 {inProcess.Baseline.P99:0.0} µs"));
        Console.Error.WriteLine("  " + inProcess.Notes);

        var empty = Directory.CreateDirectory(Path.Combine(root, "pipelines")).FullName;
        var ours = await OverHttpAsync(
            BenchProcess.MlOpsDll, ["serve", "--pipelines", empty, "--home", home, "--data-root", data, "--urls", "http://127.0.0.1:0"], root,
            line => line.StartsWith("api:", StringComparison.Ordinal)
                ? line["api:".Length..].Trim().Split(' ')[0].Replace("/api/pipelines", $"/api/models/{Pipeline}/predict", StringComparison.Ordinal)
                : null,
            ct);
        var baseline = await OverHttpAsync(
            BenchProcess.BenchDll, [ServingBaseline.Mode, modelZip], root,
            line => line.StartsWith(ServingBaseline.ListeningPrefix, StringComparison.Ordinal)
                ? line[ServingBaseline.ListeningPrefix.Length..].TrimEnd('/') + "/predict"
                : null,
            ct);

        var (o, b) = (ours.Open, baseline.Open);
        var (oc, bc) = (ours.Closed, baseline.Closed);
        var openOk = o.Failed == 0 && o.Dropped == 0;
        var p99 = Of(o.LatencyMs, 99);
        var machine = Invariant($"both servers and the load generator share the machine's {Environment.ProcessorCount} cores; load average at start {load}");
        return
        [
            new Figure("serving.in-process.p50", "Single-row prediction in process, p50: ModelScorer (vs JSON binding + bare PredictionEngine)",
                inProcess.Ours.P50, inProcess.Baseline.P50, "µs", "ratio ≤ 1.1", inProcess.Ours.P50 / inProcess.Baseline.P50 <= 1.1,
                inProcess.Notes),
            new Figure("serving.in-process.p99", "Single-row prediction in process, p99: ModelScorer (vs JSON binding + bare PredictionEngine)",
                inProcess.Ours.P99, inProcess.Baseline.P99, "µs", "ratio ≤ 1.1", inProcess.Ours.P99 / inProcess.Baseline.P99 <= 1.1,
                inProcess.Notes),
            new Figure("serving.in-process.engine-only.p50", "Single-row prediction in process, p50: ModelScorer from JSON (vs bare PredictionEngine on a row bound beforehand, no JSON)",
                inProcess.Ours.P50, inProcess.Engine.P50, "µs", "ratio ≤ 1.1 (the strict reading: the baseline does not read JSON)", inProcess.Ours.P50 / inProcess.Engine.P50 <= 1.1,
                inProcess.Notes),
            new Figure("serving.http.p99", "Prediction over HTTP at 1,000 requests/s, p99: `mlops serve` (vs bare ASP.NET Core + PredictionEngine)",
                p99, Of(b.LatencyMs, 99), "ms", "≤ 5 ms at 1,000 rps, no errors", p99 <= 5 && openOk,
                Invariant($"open loop, {Rate} requests/s for {OpenLoop.TotalSeconds:0} s over {Connections} keep-alive loopback connections, the same one-row JSON body; ")
                + Invariant($"latency from handing the request to HttpClient to the whole answer read; ours p50 {Of(o.LatencyMs, 50):0.00} ms, max {o.LatencyMs.DefaultIfEmpty(double.NaN).Max():0.0} ms, ")
                + Invariant($"{o.Failed} errors, {o.Dropped} dropped, {o.Throughput:0} answered/s; bare p50 {Of(b.LatencyMs, 50):0.00} ms, {b.Failed} errors, {b.Dropped} dropped; ")
                + Invariant($"pacer lateness p99 {Of(o.LagMs, 99):0.00} ms (ours run) / {Of(b.LagMs, 99):0.00} ms (bare run), not counted in latency; ")
                + Invariant($"server CPU per answered request (user + system, both loads) ours {ours.CpuMsPerRequest:0.###} ms, bare {baseline.CpuMsPerRequest:0.###} ms; {machine}")),
            new Figure("serving.throughput", "Prediction throughput over HTTP, 8 callers: `mlops serve` (vs bare ASP.NET Core + PredictionEngine)",
                oc.Throughput, bc.Throughput, "req/s", "≥ 1,000 req/s (the load the latency goal is set at)", oc.Throughput >= Rate && oc.Failed == 0,
                Invariant($"closed loop, {Callers} callers for {ClosedLoop.TotalSeconds:0} s over {Connections} connections; ours p50 {Of(oc.LatencyMs, 50):0.00} ms p99 {Of(oc.LatencyMs, 99):0.00} ms, {oc.Failed} errors; ")
                + Invariant($"bare p50 {Of(bc.LatencyMs, 50):0.00} ms p99 {Of(bc.LatencyMs, 99):0.00} ms, {bc.Failed} errors; {machine}")),
        ];
    }

    /// <summary>Trains and deploys the model with the real executor and SQLite stores; returns its scorer and zip.</summary>
    internal static async Task<(ModelScorer Scorer, string ModelZip)> TrainAsync(string data, string home, CancellationToken ct)
    {
        await SampleGenerators.WriteAsync(new CustomerChurnGenerator(), new SampleSettings(), Path.Combine(data, "churn.csv"), ct);
        var file = Path.Combine(data, "pipeline.yaml");
        await File.WriteAllTextAsync(file, Yaml, ct);
        var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = data }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        var definition = loader.LoadFile(file).Definition ?? throw new InvalidOperationException("the benchmark pipeline does not load");
        await using var storage = await MlOpsStorage.OpenSqliteAsync(home, ct);
        await using var product = BenchProduct.Compose(storage, data);
        var launcher = product.GetRequiredService<RunLauncher>();
        var executor = product.GetRequiredService<RunExecutor>();
        var (run, _) = await launcher.LaunchAsync(new RunRequest { Definition = definition, Yaml = Yaml }, ct);
        var finished = await executor.ExecuteAsync(run.RunId, null, ct);
        if (finished.Status != RunStatus.Succeeded || finished.Model is null)
        {
            throw new InvalidOperationException($"the training run {StatusNames.Of(finished.Status)}: {finished.Error}");
        }

        var version = await storage.Registry.GetAsync(Pipeline, finished.Model.Version, ct)
            ?? throw new InvalidOperationException("the deployed version is not registered");
        return (ModelScorer.Load(storage.Artifacts, version), storage.Artifacts.PathOf(version.ArtifactPath));
    }

    /// <summary>Alternating rounds of single-row calls on one thread: the product's scorer, then the bare engine.</summary>
    private static InProcessResult InProcess(ModelScorer scorer, string modelZip)
    {
        using var document = JsonDocument.Parse(Body);
        var input = document.RootElement;
        var ml = new MLContext();
        var model = ml.Model.Load(modelZip, out _);
        var engine = ml.Model.CreatePredictionEngine<ChurnRow, ChurnPrediction>(model);
        var row = JsonSerializer.Deserialize<ChurnRow>(Body)!;

        var ours = scorer.Score(input)[0];
        var bare = engine.Predict(row);
        var same = ours.Probability is { } p && Math.Abs(p - bare.Probability) < 1e-6 && ours.Score is { } s && Math.Abs(s - bare.Score) < 1e-5;
        if (!same)
        {
            throw new InvalidOperationException(Invariant($"the scorer and the bare engine disagree: {ours.Probability}/{ours.Score} vs {bare.Probability}/{bare.Score}"));
        }

        // Both start from the same parsed JSON element: the product must read (and check) the row from it, and a bare
        // engine needs it bound to its row class first, as the bare HTTP server's model binding does. The engine on a
        // row bound beforehand is timed too and reported in the notes.
        var ourTimes = new List<double>(Rounds * CallsPerRound);
        var bareTimes = new List<double>(Rounds * CallsPerRound);
        var engineTimes = new List<double>(Rounds * CallsPerRound);
        Time(() => scorer.Score(input), CallsPerRound, null);
        Time(() => engine.Predict(input.Deserialize<ChurnRow>()!), CallsPerRound, null);
        Time(() => engine.Predict(row), CallsPerRound, null);
        for (var round = 0; round < Rounds; round++)
        {
            Time(() => scorer.Score(input), CallsPerRound, ourTimes);
            Time(() => engine.Predict(input.Deserialize<ChurnRow>()!), CallsPerRound, bareTimes);
            Time(() => engine.Predict(row), CallsPerRound, engineTimes);
        }

        var (o, b) = (new Stats(Of(ourTimes, 50), Of(ourTimes, 99)), new Stats(Of(bareTimes, 50), Of(bareTimes, 99)));
        var notes = Invariant($"one thread, {Rounds} alternating rounds of {CallsPerRound:N0} single-row calls each after a warm-up round, same model zip and row (probability {bare.Probability:0.####} from both); ")
            + Invariant($"both from the same parsed JSON element: ours ModelScorer.Score (reading and checking the row, scoring on a pooled row mapper, Prediction); ")
            + Invariant($"bare JsonElement.Deserialize<ChurnRow> then PredictionEngine<ChurnRow, ChurnPrediction>.Predict; ")
            + Invariant($"p50/p99/mean ours {o.P50:0.0}/{o.P99:0.0}/{ourTimes.Average():0.0} µs, bare {b.P50:0.0}/{b.P99:0.0}/{bareTimes.Average():0.0} µs; ")
            + Invariant($"the engine alone on a row bound beforehand {Of(engineTimes, 50):0.0}/{Of(engineTimes, 99):0.0}/{engineTimes.Average():0.0} µs");
        return new InProcessResult(o, b, new Stats(Of(engineTimes, 50), Of(engineTimes, 99)), notes);
    }

    private static void Time(Action call, int calls, List<double>? times)
    {
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            call();
            times?.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
    }

    /// <summary>Starts a server, waits for its predict URL, warms it up, then loads it open-loop and closed-loop.</summary>
    private static async Task<HttpResult> OverHttpAsync(
        string dll, string[] arguments, string root, Func<string, string?> predictUrl, CancellationToken ct)
    {
        await using var server = BenchProcess.StartDll(dll, arguments, root);
        var (line, _) = await server.WaitForLineAsync(l => predictUrl(l) is not null, StartTimeout, ct);
        var uri = new Uri(predictUrl(line)!);
        using var client = HttpLoad.Client(Connections);
        var answer = await HttpLoad.WarmUpAsync(client, uri, Body, 2000, Connections, ct);
        if (!answer.Contains("\"probability\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"POST {uri} answered {answer}");
        }

        var cpu = server.CpuTime();
        var open = await HttpLoad.OpenLoopAsync(client, uri, Body, Rate, OpenLoop, maxInFlight: 200, ct);
        var cpuAfterOpen = server.CpuTime();
        var closed = await HttpLoad.ClosedLoopAsync(client, uri, Body, Callers, ClosedLoop, ct);
        var cpuAfterClosed = server.CpuTime();
        var cpuPerRequest = cpuAfterOpen - cpu is { } used && cpuAfterClosed - cpuAfterOpen is { } usedClosed
            ? (used + usedClosed).TotalMilliseconds / (open.LatencyMs.Count + closed.LatencyMs.Count)
            : double.NaN;
        Console.Error.WriteLine(Invariant($"  {Path.GetFileNameWithoutExtension(dll)}: open loop p50 {Of(open.LatencyMs, 50):0.00} ms p99 {Of(open.LatencyMs, 99):0.00} ms, {open.Failed} errors, {open.Dropped} dropped; closed loop {closed.Throughput:0} req/s; server CPU {cpuPerRequest:0.###} ms per request"));
        return new HttpResult(open, closed, cpuPerRequest);
    }

    private static readonly string Yaml = ChurnPipeline.Yaml(Pipeline);

    private sealed record Stats(double P50, double P99);

    private sealed record InProcessResult(Stats Ours, Stats Baseline, Stats Engine, string Notes);

    /// <param name="Open">The open-loop load at 1,000 requests/s.</param>
    /// <param name="Closed">The closed-loop load with 8 callers.</param>
    /// <param name="CpuMsPerRequest">The server process's CPU time (user + system) over both loads, per answered request.</param>
    private sealed record HttpResult(HttpLoad.Result Open, HttpLoad.Result Closed, double CpuMsPerRequest);
}
