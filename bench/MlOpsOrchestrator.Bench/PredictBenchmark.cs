using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using static MlOpsOrchestrator.Bench.Percentiles;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The deploy strategies under <c>mlops serve</c>, over HTTP on loopback. Shadow cost: two models in the same server,
/// one with only production, one with production and a shadow (another loaded copy of the version, so it costs a
/// full scoring), loaded open-loop at 1,000 requests/s in alternating rounds; the p99 with the shadow against the p99
/// without. Canary split: a model with a 10 % canary, 100,000 requests with distinct <c>X-Request-Key</c> keys, the
/// share the canary answered, then every tenth key again to count keys that switched version.
/// </summary>
public sealed class PredictBenchmark : IBenchmark
{
    private const string Plain = "churn-plain";
    private const string Shadowed = "churn-shadowed";
    private const string Canaried = "churn-canaried";
    private const int Rate = 1000;
    private const int Connections = 8;
    private const int Rounds = 3;
    private const double CanaryShare = 0.10;
    private const int Keys = 100_000;

    private static readonly TimeSpan Round = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private const string Body =
        """{"tenure_months":12,"monthly_charges":70.5,"contract":"monthly","payment":"card","support_calls":3,"outages":1,"last_note":"price too high"}""";

    public string Name => "predict";

    public string Description => "predict with and without a shadow at 1,000 rps (p99 ratio), and a 10 % canary split over 100,000 keyed requests";

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct) =>
        await BenchRoot.UseAsync("mlops-bench-predict-", root => MeasureAsync(root, ct));

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(string root, CancellationToken ct)
    {
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var home = Path.Combine(root, "home");
        await ServingBenchmark.TrainAsync(data, home, ct);
        await DeployAsync(home, ct);
        var load = LoadAverage();

        var empty = Directory.CreateDirectory(Path.Combine(root, "pipelines")).FullName;
        await using var server = BenchProcess.StartDll(
            BenchProcess.MlOpsDll, ["serve", "--pipelines", empty, "--home", home, "--data-root", data, "--urls", "http://127.0.0.1:0"], root);
        var (line, _) = await server.WaitForLineAsync(l => l.StartsWith("api:", StringComparison.Ordinal), StartTimeout, ct);
        var api = line["api:".Length..].Trim().Split(' ')[0].Replace("/api/pipelines", "", StringComparison.Ordinal);
        Uri Predict(string model) => new($"{api}/api/models/{model}/predict");

        using var client = HttpLoad.Client(Connections);
        foreach (var model in new[] { Plain, Shadowed, Canaried })
        {
            await HttpLoad.WarmUpAsync(client, Predict(model), Body, 2000, Connections, ct);
        }

        var without = new List<HttpLoad.Result>();
        var with = new List<HttpLoad.Result>();
        for (var round = 0; round < Rounds; round++)
        {
            without.Add(await HttpLoad.OpenLoopAsync(client, Predict(Plain), Body, Rate, Round, maxInFlight: 200, ct));
            with.Add(await HttpLoad.OpenLoopAsync(client, Predict(Shadowed), Body, Rate, Round, maxInFlight: 200, ct));
        }

        var (plainMs, shadowMs) = (without.SelectMany(r => r.LatencyMs).ToList(), with.SelectMany(r => r.LatencyMs).ToList());
        var errors = without.Concat(with).Sum(r => r.Failed + r.Dropped);
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // the prediction log writes every second
        var shadowRows = await CountAsync(home, "SELECT COUNT(*) FROM prediction_log WHERE model = $m AND shadow = 1", Shadowed, ct);
        var shadowedRequests = await CountAsync(home, "SELECT COUNT(*) FROM prediction_log WHERE model = $m AND shadow = 0", Shadowed, ct);
        var (p99Without, p99With) = (Of(plainMs, 99), Of(shadowMs, 99));
        Console.Error.WriteLine(Invariant($"  p99 without a shadow {p99Without:0.00} ms, with {p99With:0.00} ms; {shadowRows:N0} shadow answers logged for {shadowedRequests:N0} requests"));

        var clock = Stopwatch.StartNew();
        var first = await SendKeyedAsync(client, Predict(Canaried), Enumerable.Range(0, Keys).Select(i => $"k{i}").ToList(), ct);
        var again = await SendKeyedAsync(client, Predict(Canaried), Enumerable.Range(0, Keys).Where(i => i % 10 == 0).Select(i => $"k{i}").ToList(), ct);
        var share = first.Values.Count(a => a == "canary") / (double)Keys;
        var switched = again.Count(a => first.TryGetValue(a.Key, out var before) && before != a.Value);
        var failed = Keys - first.Count + (Keys / 10) - again.Count;
        Console.Error.WriteLine(Invariant($"  canary answered {share:P2} of {Keys:N0} keys (configured {CanaryShare:P0}); {switched} of {again.Count:N0} keys switched; {clock.Elapsed.TotalSeconds:0} s"));

        var machine = Invariant($"the server and the load generator share the machine's {Environment.ProcessorCount} cores; load average at start {load}");
        var ratio = p99With / p99Without;
        return
        [
            new Figure("predict.shadow.http.p99", "Prediction over HTTP at 1,000 requests/s, p99: with a shadow version scoring every request (vs without, same run)",
                p99With, p99Without, "ms", "ratio ≤ 1.10, no errors", ratio <= 1.10 && errors == 0,
                Invariant($"one `mlops serve`, two models trained by the churn pipeline: one with production only, one with production and a shadow (a second loaded copy of the version, so each request is scored twice); ")
                + Invariant($"{Rounds} alternating rounds of {Round.TotalSeconds:0} s open loop at {Rate} requests/s over {Connections} keep-alive connections per model; ")
                + Invariant($"p50 without {Of(plainMs, 50):0.00} ms, with {Of(shadowMs, 50):0.00} ms; max without {plainMs.DefaultIfEmpty(double.NaN).Max():0.0} ms, with {shadowMs.DefaultIfEmpty(double.NaN).Max():0.0} ms; ")
                + Invariant($"{errors} errors or dropped requests; {shadowRows:N0} shadow answers in the prediction log for {shadowedRequests:N0} answered requests (the shadow scores after the answer, on one background loop); {machine}")),
            new Figure("predict.canary.share", "Canary split over 100,000 keyed requests: share answered by a 10 % canary (vs configured)",
                share * 100, CanaryShare * 100, "%", "within 1 percentage point; no key switches version", Math.Abs(share - CanaryShare) <= 0.01 && switched == 0 && failed == 0,
                Invariant($"{Keys:N0} requests with distinct X-Request-Key keys (k0..k{Keys - 1}), 8 at a time, the alias read from X-Model-Alias; then every tenth key again: {switched} of {again.Count:N0} switched; ")
                + Invariant($"{failed} failed requests; {Keys * 1.1 / clock.Elapsed.TotalSeconds:0} requests/s; {machine}")),
        ];
    }

    /// <summary>
    /// Registers the trained version again under three model names, as deploys would have: production alone;
    /// production and a shadow (a second version, another copy of the model file); production and a 10 % canary.
    /// </summary>
    private static async Task DeployAsync(string home, CancellationToken ct)
    {
        await using var storage = await MlOpsStorage.OpenSqliteAsync(home, ct);
        var trained = (await storage.Registry.ListVersionsAsync(ServingBenchmark.Pipeline, ct)).Single();
        var copy = trained.ArtifactPath.Replace("model.zip", "model-copy.zip", StringComparison.Ordinal);
        File.Copy(storage.Artifacts.PathOf(trained.ArtifactPath), storage.Artifacts.PathOf(copy));
        var now = DateTimeOffset.UtcNow;
        foreach (var name in new[] { Plain, Shadowed, Canaried })
        {
            var v1 = await storage.Registry.RegisterAsync(trained with { Name = name, RunId = $"{name}-1" }, ct);
            var v2 = await storage.Registry.RegisterAsync(trained with { Name = name, RunId = $"{name}-2", ArtifactPath = copy }, ct);
            await storage.Registry.MoveAliasAsync(name, "production", v1.Version, "bench", null, now, ct);
            if (name == Shadowed)
            {
                await storage.Registry.MoveAliasAsync(name, "shadow", v2.Version, "bench", null, now, ct);
            }
            else if (name == Canaried)
            {
                await storage.Registry.RouteAliasAsync(name, "canary", v2.Version, new AliasRoute(CanaryShare, null), "bench", null, now, ct);
            }
        }
    }

    /// <summary>One request per key, 8 at a time: the alias that answered each (failed requests are left out).</summary>
    private static async Task<ConcurrentDictionary<string, string>> SendKeyedAsync(HttpClient client, Uri uri, List<string> keys, CancellationToken ct)
    {
        var answered = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = Connections, CancellationToken = ct }, async (key, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Request-Key", key);
            using var response = await client.SendAsync(request, token);
            await response.Content.ReadAsByteArrayAsync(token);
            if (response.IsSuccessStatusCode && response.Headers.TryGetValues("X-Model-Alias", out var alias))
            {
                answered[key] = alias.Single();
            }
        });
        return answered;
    }

    private static async Task<long> CountAsync(string home, string sql, string model, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(home, MlOpsStorage.DatabaseFileName)};Mode=ReadOnly");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$m", model);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
