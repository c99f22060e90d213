using System.Net;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// A value a <c>postgres</c> source takes from <c>${env:…}</c> comes back in the database server's or the driver's own
/// error text (<c>database "…" does not exist</c>, <c>role "…" does not exist</c>, <c>Failed to connect to …</c>). Each
/// run below fails that way against the real test cluster; the value must not appear in anything the product stores,
/// logs or shows: the run's error, <c>mlops run</c>'s terminal output, <c>show --json</c>, <c>runs --json</c>, the JSON
/// log file, the API's <c>GET /api/runs/{id}</c> and the dashboard's run page (served by a real <c>mlops serve</c>).
/// </summary>
[TestFixture]
[Category("Postgres")]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment; each case sets its own.
public sealed partial class SecretRedactionTests
{
    private const string Pipeline = "warehouse-churn";

    /// <summary>The pipeline <c>mlops serve</c> schedules and executes itself (started through the API), with its own secret.</summary>
    private const string ServedPipeline = "warehouse-churn-served";

    private const string ServedSecret = "wh_served_secret_db";

    private static readonly Dictionary<string, Seen> Runs = new(StringComparer.Ordinal);

    private CliSession _session = null!;
    private (string RunId, string Api, string Page, CliResult Show) _served;

    /// <summary>Each secret: how the connection string takes it, the variables, the value that must never appear, and how the server's message reads once redacted.</summary>
    public static IEnumerable<TestCaseData> Secrets()
    {
        yield return Case(
            "database name",
            "Host={host};Port={port};Username=postgres;Database=${env:WAREHOUSE_DB}",
            [("WAREHOUSE_DB", "wh_secret_db_7f3k")],
            "wh_secret_db_7f3k",
            "database \"(value of ${env:WAREHOUSE_DB})\" does not exist");
        yield return Case(
            "user name",
            "Host={host};Port={port};Username=${env:WAREHOUSE_USER};Database=postgres",
            [("WAREHOUSE_USER", "etl_secret_user")],
            "etl_secret_user",
            "role \"(value of ${env:WAREHOUSE_USER})\" does not exist");
        yield return Case(
            "password (the variables swapped by mistake, so the server echoes it as the user)",
            "Host={host};Port={port};Username=${env:WAREHOUSE_PASSWORD};Password=${env:WAREHOUSE_USER};Database=postgres",
            [("WAREHOUSE_USER", "etl_reader"), ("WAREHOUSE_PASSWORD", "Pa55-w0rd-S3cret")],
            "Pa55-w0rd-S3cret",
            "role \"(value of ${env:WAREHOUSE_PASSWORD})\" does not exist");
        yield return Case(
            "host (no server listens there)",
            "Host=${env:WAREHOUSE_HOST};Port={port};Username=postgres;Database=postgres;Timeout=5",
            [("WAREHOUSE_HOST", "127.0.0.2")],
            "127.0.0.2",
            "(value of ${env:WAREHOUSE_HOST})");
        yield return Case(
            "database name inside a whole connection string from one variable",
            "${env:WAREHOUSE_PG}",
            [("WAREHOUSE_PG", "Host={host};Port={port};Username=postgres;Password=Pa55-in-the-string;Database=wh_missing_db_q9")],
            "wh_missing_db_q9",
            "database \"(value of ${env:WAREHOUSE_PG})\" does not exist");
    }

    [OneTimeSetUp]
    public async Task RunEachCaseThenServeTheHistory()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var cluster = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        _session = await CliSession.OpenAsync(StorageEngine.Sqlite);
        foreach (var data in Secrets())
        {
            var (name, connection, variables, _, _) = Unpack(data);
            var resolved = variables.Select(v => (v.Name, Fill(v.Value, cluster))).ToList();
            var file = _session.Temp.Write($"{Runs.Count}.yaml", PipelineYaml(Fill(connection, cluster)));
            using (EnvironmentScope.Set(resolved.Select(v => (v.Name, (string?)v.Item2))))
            {
                var run = await _session.RunAsync("run", file);
                var runId = RunLine().Match(run.Stderr) is { Success: true } m ? m.Groups["id"].Value : throw new AssertionException($"{name}: no run line\n{run}");
                var show = await _session.RunAsync("show", runId, "--json");
                Runs[name] = new Seen(runId, run, show);
            }
        }

        var runs = await _session.RunAsync("runs", Pipeline, "--json", "--limit", "100");
        var pipelines = _session.Temp.Combine("served-pipelines");
        Directory.CreateDirectory(pipelines);
        await File.WriteAllTextAsync(
            Path.Combine(pipelines, "served.yaml"),
            PipelineYaml(Fill("Host={host};Port={port};Username=postgres;Database=${env:SERVED_DB}", cluster)).Replace($"name: {Pipeline}", $"name: {ServedPipeline}", StringComparison.Ordinal));
        MlopsProcess serve;
        using (EnvironmentScope.Set(("SERVED_DB", ServedSecret)))
        {
            // The variable is read by serve itself, which loads the pipeline and executes its run.
            serve = MlopsProcess.Start(_session.Temp.Path, "serve", "--urls", "http://127.0.0.1:0", "--pipelines", pipelines, "--home", _session.Home, "--data-root", _session.DataRoot);
        }

        using var running = serve;
        var address = await DashboardAddressAsync(serve);
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        _served = await RunThroughTheApiAsync(client);
        foreach (var (name, seen) in Runs.ToList())
        {
            var api = await client.GetAsync(new Uri($"/api/runs/{seen.RunId}", UriKind.Relative));
            var page = await client.GetAsync(new Uri($"/hangfire/runs/{seen.RunId}", UriKind.Relative));
            Runs[name] = seen with
            {
                Runs = runs,
                Api = (api.StatusCode, await api.Content.ReadAsStringAsync()),
                Page = (page.StatusCode, await page.Content.ReadAsStringAsync()),
            };
        }

        await serve.KillAsync();
    }

    /// <summary>The same failure in a run that <c>serve</c> executes (started through the API): the same redaction, in serve's own log file too.</summary>
    [Test]
    public void RunExecutedByServe_ValueFromTheEnvironmentEchoedByTheServer_RedactedEverywhere()
    {
        var (runId, api, page, show) = _served;
        var logs = LogFile.Lines(Path.Combine(_session.Home, "logs")).Where(l => l.Contains(runId, StringComparison.Ordinal)).ToList();
        const string Redacted = "database \"(value of ${env:SERVED_DB})\" does not exist";
        Assert.Multiple(() =>
        {
            Assert.That(Str(Step(CliSession.ParseJson(show), "prep"), "error"), Does.Contain(Redacted), show.ToString());
            Assert.That(show.Stdout, Does.Not.Contain(ServedSecret), "show --json");
            Assert.That(api, Does.Contain("(value of ${env:SERVED_DB})").And.Not.Contain(ServedSecret), "GET /api/runs/{id}");
            Assert.That(WebUtility.HtmlDecode(page), Does.Contain(runId).And.Not.Contain(ServedSecret), "the dashboard's run page");
            Assert.That(logs, Is.Not.Empty, "serve logs the run");
            Assert.That(logs.Count(l => l.Contains(ServedSecret, StringComparison.Ordinal)), Is.Zero, "lines of serve's JSON log file with the value");
        });
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => _session?.Dispose();

    [TestCaseSource(nameof(Secrets))]
    public void Run_ValueFromTheEnvironmentEchoedByTheServer_RedactedEverywhere(string name, string connection, (string Name, string Value)[] variables, string secret, string redacted)
    {
        var seen = Runs[name];
        var show = CliSession.ParseJson(seen.Show);
        var prep = Step(show, "prep");
        var logs = LogFile.Lines(Path.Combine(_session.Home, "logs")).Where(l => l.Contains(seen.RunId, StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(seen.Run.ExitCode, Is.EqualTo(1), seen.Run.ToString());
            Assert.That(Status(prep), Is.EqualTo("failed"), seen.Show.ToString());
            Assert.That(Str(prep, "error"), Does.Contain(redacted), "the server's message is kept, the value is not");
            Assert.That(Str(show, "error"), Does.Contain(redacted));
            Assert.That(seen.Run.Stdout + seen.Run.Stderr, Does.Not.Contain(secret), "mlops run's terminal output");
            Assert.That(seen.Show.Stdout, Does.Not.Contain(secret), "show --json");
            Assert.That(seen.Runs!.Stdout, Does.Contain(seen.RunId).And.Not.Contain(secret), "runs --json");
            Assert.That(seen.Api.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seen.Api.Body, Does.Contain("(value of ${env:").And.Not.Contain(secret), "GET /api/runs/{id}");
            Assert.That(seen.Page.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(WebUtility.HtmlDecode(seen.Page.Body), Does.Contain(seen.RunId).And.Not.Contain(secret), "the dashboard's run page");
            Assert.That(logs.Count(l => l.Contains(secret, StringComparison.Ordinal)), Is.Zero, "lines of the JSON log file with the value");
            Assert.That(logs.Any(l => l.Contains("(value of ${env:", StringComparison.Ordinal)), Is.True, "the failure is logged, redacted");
        });
    }

    private async Task<(string RunId, string Api, string Page, CliResult Show)> RunThroughTheApiAsync(HttpClient client)
    {
        using var body = new StringContent("""{ "mode": "full" }""", System.Text.Encoding.UTF8, "application/json");
        var started = await client.PostAsync(new Uri($"/api/pipelines/{ServedPipeline}/runs", UriKind.Relative), body);
        var startedBody = await started.Content.ReadAsStringAsync();
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), startedBody);
        var runId = System.Text.Json.Nodes.JsonNode.Parse(startedBody)!["runId"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        string api;
        do
        {
            await Task.Delay(200);
            api = await client.GetStringAsync(new Uri($"/api/runs/{runId}", UriKind.Relative));
        }
        while (!api.Contains("\"status\":\"failed\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        var page = await client.GetStringAsync(new Uri($"/hangfire/runs/{runId}", UriKind.Relative));
        return (runId, api, page, await _session.RunAsync("show", runId, "--json"));
    }

    private static string PipelineYaml(string connection) => $$"""
        version: 1
        name: {{Pipeline}}
        data:
          source:
            type: postgres
            connection: "{{connection}}"
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

    private static string Fill(string text, NpgsqlConnectionStringBuilder cluster) => text
        .Replace("{host}", cluster.Host, StringComparison.Ordinal)
        .Replace("{port}", cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static async Task<string> DashboardAddressAsync(MlopsProcess serve)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !serve.HasExited)
        {
            if (DashboardLine().Match(serve.Stdout + "\n" + serve.Stderr) is { Success: true } m)
            {
                return m.Groups["address"].Value;
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"mlops serve printed no dashboard address\n--- stdout ---\n{serve.Stdout}\n--- stderr ---\n{serve.Stderr}");
    }

    private static TestCaseData Case(string name, string connection, (string Name, string Value)[] variables, string secret, string redacted) =>
        new TestCaseData(name, connection, variables, secret, redacted).SetArgDisplayNames(name);

    private static (string Name, string Connection, (string Name, string Value)[] Variables, string Secret, string Redacted) Unpack(TestCaseData data) =>
        ((string)data.Arguments[0]!, (string)data.Arguments[1]!, ((string, string)[])data.Arguments[2]!, (string)data.Arguments[3]!, (string)data.Arguments[4]!);

    [GeneratedRegex(@"^run (?<id>\S+): ", RegexOptions.Multiline)]
    private static partial Regex RunLine();

    [GeneratedRegex(@"dashboard: (?<address>http://\S+?)/hangfire")]
    private static partial Regex DashboardLine();

    private sealed record Seen(string RunId, CliResult Run, CliResult Show)
    {
        public CliResult? Runs { get; init; }
        public (HttpStatusCode Status, string Body) Api { get; init; }
        public (HttpStatusCode Status, string Body) Page { get; init; }
    }
}
