using System.Globalization;
using System.Text;
using System.Text.Json;
using MlOpsOrchestrator.Cli;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Cluster;

/// <summary>
/// What the processes of one cluster test share: a fresh PostgreSQL database, a temporary home folder, and a temporary
/// pipelines folder (with its data under <c>pipelines/data</c>; the sandbox root is the data root). Every process
/// started through it is killed when it is disposed; what they printed is kept for the failure message.
/// </summary>
internal sealed class ClusterSandbox : IAsyncDisposable
{
    private readonly List<MlopsProcess> _processes = [];

    private ClusterSandbox(string connectionString, string root)
    {
        ConnectionString = connectionString;
        Root = root;
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(DataFolder);
    }

    public string ConnectionString { get; }

    /// <summary>The temporary folder: working directory and data root of every process.</summary>
    public string Root { get; }

    public string Home => Path.Combine(Root, "home");

    public string Pipelines => Path.Combine(Root, "pipelines");

    public string DataFolder => Path.Combine(Pipelines, "data");

    /// <summary><c>--home H --postgres CS --data-root R</c>: the same state for every process and in-process command.</summary>
    public string[] StateArguments => ["--home", Home, "--postgres", ConnectionString, "--data-root", Root];

    /// <summary>A fresh database named after the test, and a fresh temporary folder.</summary>
    public static async Task<ClusterSandbox> CreateAsync(string name)
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var database = await server.CreateDatabaseAsync(name);
        var root = Directory.CreateTempSubdirectory($"mlops-cluster-{name}-").FullName;
        return new ClusterSandbox(database, root);
    }

    /// <summary>Writes <c>pipelines/data/FILE</c> with <c>mlops sample-data customer-churn --rows N</c>, run in this process.</summary>
    public async Task WriteChurnDataAsync(string file, int rows)
    {
        var (exit, _, stderr) = await CliAsync("sample-data", "customer-churn", "--rows", rows.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(DataFolder, file));
        Assert.That(exit, Is.Zero, $"mlops sample-data failed: {stderr}");
    }

    public void WritePipeline(string name, string yaml) => File.WriteAllText(Path.Combine(Pipelines, $"{name}.yaml"), yaml);

    public async Task<ServeProcess> StartServeAsync(string name, IReadOnlyDictionary<string, string>? environment = null)
    {
        var serve = await ServeProcess.StartAsync(this, name, environment);
        Track(serve.Process);
        return serve;
    }

    public async Task<WorkerProcess> StartWorkerAsync(string name, IReadOnlyDictionary<string, string>? environment = null)
    {
        var worker = await WorkerProcess.StartAsync(this, name, environment);
        Track(worker.Process);
        return worker;
    }

    /// <summary>An <c>mlops</c> command run in this process (pass <see cref="StateArguments"/> for the sandbox's state).</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var exit = await MlOpsCli.RunAsync(args, stdout, stderr, timeout.Token);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary><c>mlops models NAME --json</c> in this process: the model versions, or none when the name has none.</summary>
    public async Task<IReadOnlyList<JsonElement>> ModelVersionsAsync(string name)
    {
        var (exit, stdout, stderr) = await CliAsync(["models", name, "--json", .. StateArguments]);
        if (exit != 0)
        {
            Assert.That(stderr, Does.Contain(name), $"mlops models {name} --json exited {exit}: {stderr}");
            return [];
        }

        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.Clone()).ToList();
    }

    /// <summary>Every run of <paramref name="pipeline"/> straight from the <c>mlops.runs</c> table, oldest first (the JSON views do not show the idempotency key or the owner).</summary>
    public async Task<IReadOnlyList<RunRow>> RunsAsync(string pipeline)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT run_id, pipeline, trigger_name, status, idempotency_key, created_at, started_at, finished_at, error, owner, heartbeat_at, model_version " +
            "FROM mlops.runs WHERE pipeline = @pipeline ORDER BY created_at, seq", connection);
        command.Parameters.AddWithValue("pipeline", pipeline);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<RunRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new RunRow(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                Time(reader, 5)!.Value, Time(reader, 6), Time(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                Time(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11)));
        }

        return rows;
    }

    public async Task<RunRow?> RunAsync(string pipeline, string runId) => (await RunsAsync(pipeline)).SingleOrDefault(r => r.RunId == runId);

    /// <summary>The steps of a run from the <c>mlops.steps</c> table, in pipeline order.</summary>
    public async Task<IReadOnlyList<StepRow>> StepsAsync(string runId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT step_id, status, attempts, started_at, finished_at FROM mlops.steps WHERE run_id = @run ORDER BY ordinal", connection);
        command.Parameters.AddWithValue("run", runId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StepRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StepRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), Time(reader, 3), Time(reader, 4)));
        }

        return rows;
    }

    /// <summary>One column of text rows, for diagnostics read straight from Quartz's or Hangfire's tables.</summary>
    public async Task<IReadOnlyList<string>> TextRowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? "(null)" : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return rows;
    }

    /// <summary>What every process printed (the tail of it), for a failure message.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var process in _processes)
        {
            text.AppendLine(process.Describe(60));
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await TestContext.Out.WriteLineAsync($"could not delete {Root}: {e.Message}");
        }
    }

    private void Track(MlopsProcess process)
    {
        lock (_processes)
        {
            _processes.Add(process);
        }
    }

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetDateTime(ordinal).ToUniversalTime(), TimeSpan.Zero);
}

/// <summary>A row of <c>mlops.runs</c>, as far as the cluster tests look at it.</summary>
internal sealed record RunRow(
    string RunId,
    string Pipeline,
    string Trigger,
    string Status,
    string? IdempotencyKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    string? Owner,
    DateTimeOffset? HeartbeatAt,
    int? ModelVersion)
{
    /// <summary>The scheduled fire time a cron run was launched for: the last part of <c>pipeline|trigger|time</c>.</summary>
    public DateTimeOffset? ScheduledAt =>
        IdempotencyKey?.Split('|') is [_, _, var time]
            ? DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime()
            : null;

    /// <summary>The process id in the owner <c>host:pid:nonce:nonce</c>; null when nobody owns the run.</summary>
    public int? OwnerPid =>
        Owner?.Split(':') is [_, var pid, ..] && int.TryParse(pid, CultureInfo.InvariantCulture, out var id) ? id : null;

    public override string ToString() =>
        $"{RunId} [{Trigger}] {Status} scheduled={Format(ScheduledAt)} created={Format(CreatedAt)} started={Format(StartedAt)} finished={Format(FinishedAt)} owner={Owner ?? "-"}{(Error is null ? "" : $" error={Error}")}";

    public static string Format(DateTimeOffset? time) => time?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-";
}

/// <summary>A row of <c>mlops.steps</c>.</summary>
internal sealed record StepRow(string StepId, string Status, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public override string ToString() =>
        $"{StepId} {Status} attempts={Attempts} started={RunRow.Format(StartedAt)} finished={RunRow.Format(FinishedAt)}";
}
