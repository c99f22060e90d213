using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Api;
using MlOpsOrchestrator.Cli.Hosting;
using MlOpsOrchestrator.Cli.Tests.Api;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using Serilog.Events;

namespace MlOpsOrchestrator.Cli.Tests.Features;

/// <summary>
/// Online = offline at the same instant, on the feature-store sample's files: a model trained with the station_activity
/// view is served; a request that sends only the station's key gets its features computed from the online store at a
/// fixed instant, and scores exactly as the same row with the values <c>mlops features export --at</c> writes for that
/// instant. Before the view is materialized such a request is refused naming the command; an unknown station gets its
/// features missing (then the model's missing-value rule) and the answer says so; the prediction log holds the values used.
/// </summary>
[TestFixture]
public sealed class PredictByEntityKeyTests
{
    private const string Model = "rentals-by-key";
    private const string Instant = "2025-03-10T08:00:00Z";
    private static readonly DateTimeOffset At = DateTimeOffset.Parse(Instant, CultureInfo.InvariantCulture);

    private const string Pipeline = """
        version: 1
        name: rentals-by-key
        data:
          source: { type: csv, path: ../data/station-rentals.csv }
          timestamp: ts
          label: rentals
          features: [station_activity:trips_1h, station_activity:trips_24h, station_activity:mean_minutes_7d, station_activity:riders_24h, station_activity:last_bikes]
          schema:
            station_activity__mean_minutes_7d: { missing: mean }
            station_activity__last_bikes: { missing: mean }
        steps:
          - { id: prep, kind: data_prep, split: { by: time, test_fraction: 0.2 } }
          - { id: train, kind: train, needs: prep, task: regression, trainer: fast_tree, options: { number_of_trees: 30 } }
          - { id: evaluate, kind: evaluate, needs: train, gates: { r_squared: { min: 0 } } }
          - { id: deploy, kind: deploy, needs: evaluate }
        """;

    private static readonly string[] FeatureColumns =
        ["station_activity__trips_1h", "station_activity__trips_24h", "station_activity__mean_minutes_7d", "station_activity__riders_24h", "station_activity__last_bikes"];

    private TempFolder _folder = null!;
    private ManualTime _time = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        var sample = RepositoryPaths.Combine("samples", "feature-store");
        Directory.CreateDirectory(_folder.Combine("data"));
        foreach (var file in new[] { "station-rentals.csv", "station-trips.csv" })
        {
            File.Copy(Path.Combine(sample, "data", file), _folder.Combine("data", file));
        }

        _folder.Write("features/station_activity.yaml", File.ReadAllText(Path.Combine(sample, "features", "station_activity.yaml")));
        _folder.Write("pipelines/rentals-by-key.yaml", Pipeline);
        _time = new ManualTime();
        _time.Advance(At - _time.GetUtcNow());
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public Task PredictByKey_Sqlite_ScoresAsTheExportedValuesAtTheSameInstant() => OnlineEqualsOfflineAsync(postgres: null);

    [Test]
    [Category("Postgres")]
    public async Task PredictByKey_Postgres_ScoresAsTheExportedValuesAtTheSameInstant() =>
        await OnlineEqualsOfflineAsync(await (await PostgresTestEnvironment.RequireAsync()).CreateDatabaseAsync("predict_by_key"));

    private async Task OnlineEqualsOfflineAsync(string? postgres)
    {
        var run = await MlopsAsync(postgres, "run", _folder.Combine("pipelines", "rentals-by-key.yaml"));
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var export = await MlopsAsync(postgres, "features", "export", _folder.Combine("pipelines", "rentals-by-key.yaml"), "--out", _folder.Combine("out", "training.csv"), "--at", Instant);
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        var rows = ExportedRowsAt(_folder.Combine("out", "training.csv"));
        Assert.That(rows, Has.Count.GreaterThanOrEqualTo(10), "every station has a row at the instant");

        var app = await ServeAsync(postgres);
        try
        {
            await PredictAsync(app, postgres, rows);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task PredictAsync(WebApplication app, string? postgres, List<JsonObject> rows)
    {
        using var client = new HttpClient { BaseAddress = new Uri(HostAddresses.Of(app.Services).Single()) };
        var byKey = new JsonArray([.. rows.Select(r => (JsonNode?)Without(r, [.. FeatureColumns, "rentals"]))]);

        var (refusedStatus, refused) = await PostAsync(client, byKey.ToJsonString());
        var materialized = await MlopsAsync(postgres, "features", "materialize", "station_activity");
        var (status, answers) = await PostAsync(client, byKey.ToJsonString());
        var (valuesStatus, byValues) = await PostAsync(client, new JsonArray([.. rows.Select(r => (JsonNode?)Without(r, ["rentals"]))]).ToJsonString());

        Assert.That(refusedStatus, Is.EqualTo(HttpStatusCode.Conflict), refused?.ToJsonString());
        Assert.That(refused!["error"]!.GetValue<string>(), Does.Contain("run 'mlops features materialize station_activity'"));
        Assert.That(materialized.ExitCode, Is.Zero, materialized.ToString());
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), answers?.ToJsonString());
        Assert.That(valuesStatus, Is.EqualTo(HttpStatusCode.OK), byValues?.ToJsonString());
        for (var i = 0; i < rows.Count; i++)
        {
            var fetched = answers![i]!["features"]![0]!;
            Assert.That(answers[i]!["score"]!.GetValue<double>(), Is.EqualTo(byValues![i]!["score"]!.GetValue<double>()), $"row {i + 1}: {rows[i].ToJsonString()} fetched {fetched.ToJsonString()}");
            foreach (var column in FeatureColumns)
            {
                Assert.That(fetched["values"]![column]?.GetValue<double>(), Is.EqualTo(rows[i][column]?.GetValue<double>()), $"row {i + 1}, {column}");
            }

            Assert.That(fetched["known"]!.GetValue<bool>(), Is.True);
            Assert.That(fetched["newestEventAgeSeconds"]!.GetValue<double>(), Is.GreaterThanOrEqualTo(0));
            Assert.That(fetched["refreshAgeSeconds"]!.GetValue<double>(), Is.Zero, "materialized at the same fixed instant");
        }

        var logged = await LoggedAsync(app.Services.GetRequiredService<StorageSet>(), rows.Count * 2);
        Assert.That(JsonNode.Parse(logged[0].FeaturesJson)!["station_activity__trips_24h"]!.GetValue<double>(), Is.EqualTo(rows[0]["station_activity__trips_24h"]!.GetValue<double>()),
            "the prediction log holds the values served, as ordinary view__feature columns");

        var unknown = Without(rows[0], [.. FeatureColumns, "rentals"]);
        unknown["station_id"] = "st-unknown";
        var sent = (JsonObject)unknown.DeepClone();
        sent["station_activity__last_bikes"] = 3;
        var (unknownStatus, unknownAnswer) = await PostAsync(client, sent.ToJsonString());
        Assert.That(unknownStatus, Is.EqualTo(HttpStatusCode.OK), unknownAnswer?.ToJsonString());
        var note = unknownAnswer!["features"]![0]!;
        Assert.That(note["known"]!.GetValue<bool>(), Is.False);
        Assert.That(note["values"]!["station_activity__trips_24h"]!.GetValue<double>(), Is.Zero);
        Assert.That(note["values"]!.AsObject().ContainsKey("station_activity__mean_minutes_7d") && note["values"]!["station_activity__mean_minutes_7d"] is null, Is.True, "missing: then the model's rule (mean)");
        Assert.That(note["sent"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "station_activity__last_bikes" }), "a value sent wins over the fetched one");
    }

    [Test]
    public async Task Serve_ViewWithOnlineRefresh_MaterializesItOnItsSchedule()
    {
        var view = File.ReadAllText(_folder.Combine("features", "station_activity.yaml"));
        _folder.Write("features/station_activity.yaml", view.Replace("online: { refresh: \"0 0/5 * * * ?\" }", "online: { refresh: \"0/1 * * * * ?\" }", StringComparison.Ordinal));
        Assert.That(File.ReadAllText(_folder.Combine("features", "station_activity.yaml")), Does.Contain("0/1 * * * * ?"));
        var newest = File.ReadLines(_folder.Combine("data", "station-trips.csv")).Skip(1)
            .Max(l => DateTimeOffset.Parse(l.Split(',')[2], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));

        var app = await ServeAsync(postgres: null);
        try
        {
            var storage = app.Services.GetRequiredService<StorageSet>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            Stores.OnlineViewState? state;
            do
            {
                await Task.Delay(200);
                state = await storage.OnlineFeatures.GetStateAsync("station_activity", CancellationToken.None);
            }
            while (state is null && DateTime.UtcNow < deadline);

            Assert.That(state, Is.Not.Null, "serve materialized the view on its online.refresh schedule");
            Assert.That(state!.Watermark, Is.EqualTo(newest.UtcTicks));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<IReadOnlyList<Stores.PredictionRecord>> LoggedAsync(StorageSet storage, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        IReadOnlyList<Stores.PredictionRecord> read;
        do
        {
            await Task.Delay(100);
            read = await storage.Predictions.ReadAsync(Model, DateTimeOffset.MinValue, 1000, CancellationToken.None);
        }
        while (read.Count < count && DateTime.UtcNow < deadline);

        Assert.That(read, Has.Count.GreaterThanOrEqualTo(count));
        return read;
    }

    /// <summary>The exported rows at exactly the instant, as JSON objects typed as a caller would send them.</summary>
    private static List<JsonObject> ExportedRowsAt(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        var rows = new List<JsonObject>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (DateTimeOffset.Parse(cells[Array.IndexOf(header, "ts")], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) != At)
            {
                continue;
            }

            var row = new JsonObject();
            for (var c = 0; c < header.Length; c++)
            {
                row[header[c]] = header[c] is "station_id" or "ts" or "weekday" ? cells[c]
                    : cells[c].Length == 0 ? null
                    : double.Parse(cells[c], CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static JsonObject Without(JsonObject row, string[] columns)
    {
        var copy = (JsonObject)row.DeepClone();
        foreach (var column in columns)
        {
            copy.Remove(column);
        }

        return copy;
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient client, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/api/models/{Model}/predict", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<WebApplication> ServeAsync(string? postgres)
    {
        var settings = new MlOpsHostSettings
        {
            Role = HostRole.Serve,
            Home = _folder.Combine("home"),
            Postgres = postgres,
            DataRoot = _folder.Path,
            PipelinesFolder = _folder.Combine("pipelines"),
            Urls = ["http://127.0.0.1:0"],
            Queues = ["default"],
            WorkerCount = 1,
            ConsoleLogLevel = LogEventLevel.Warning,
        };
        var app = ServeHost.Build(settings, builder => builder.Services.AddSingleton(new OnlineFeatureClock(_time)));
        await app.StartAsync();
        return app;
    }

    private async Task<CliResult> MlopsAsync(string? postgres, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] storage = postgres is null ? [] : ["--postgres", postgres];
        string[] features = args[0] == "features" ? ["--features", _folder.Combine("features")] : [];
        var code = await MlOpsCli.RunAsync([.. args, .. features, "--home", _folder.Combine("home"), "--data-root", _folder.Path, .. storage], stdout, stderr, CancellationToken.None, _time);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
