using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MlOpsOrchestrator.Cli;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace MlOpsOrchestrator.Integration.Tests.Cluster;

/// <summary>
/// What the processes of one cluster test share: a fresh PostgreSQL database, a temporary home folder, and a temporary
/// pipelines folder (with its data under <c>pipelines/data</c>; the sandbox root is the data root). Every process
/// started through it is killed when it is disposed; what they printed is kept for the failure message. An embedded
/// sandbox (<see cref="CreateEmbeddedAsync"/>) has no database server: the processes use the SQLite files of the home.
/// </summary>
internal sealed class ClusterSandbox : IAsyncDisposable
{
    private readonly List<MlopsProcess> _processes = [];

    private readonly string? _connectionString;

    private ClusterSandbox(string? connectionString, string root)
    {
        _connectionString = connectionString;
        Root = root;
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(DataFolder);
    }

    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("an embedded sandbox has no PostgreSQL database");

    /// <summary>No PostgreSQL: run history in <c>home/mlops.db</c>, the schedule in <c>home/schedule.db</c>.</summary>
    public bool IsEmbedded => _connectionString is null;

    /// <summary>The temporary folder: working directory and data root of every process.</summary>
    public string Root { get; }

    public string Home => Path.Combine(Root, "home");

    public string Pipelines => Path.Combine(Root, "pipelines");

    public string DataFolder => Path.Combine(Pipelines, "data");

    /// <summary><c>--home H --postgres CS --data-root R</c>: the same state for every process and in-process command.</summary>
    public string[] StateArguments =>
        IsEmbedded ? ["--home", Home, "--data-root", Root] : ["--home", Home, "--postgres", ConnectionString, "--data-root", Root];

    /// <summary>A home folder of one process's own (<c>homes/NAME</c>), empty at first: a machine that shares nothing with the others but the database.</summary>
    public string OwnHome(string process) => Path.Combine(Root, "homes", process.Replace('#', '-'));

    /// <summary>
    /// <see cref="StateArguments"/> with <paramref name="home"/> instead of the shared home; the process's database
    /// sessions carry <paramref name="process"/> as their <c>application_name</c>, so a test can tell them apart.
    /// </summary>
    public string[] StateArgumentsWith(string home, string process) =>
        IsEmbedded
            ? ["--home", home, "--data-root", Root]
            : ["--home", home, "--postgres", new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = process }.ConnectionString, "--data-root", Root];

    /// <summary>A fresh database named after the test, and a fresh temporary folder.</summary>
    public static async Task<ClusterSandbox> CreateAsync(string name) =>
        await CreateAsync(name, await PostgresTestEnvironment.RequireAsync());

    /// <summary>A fresh database on <paramref name="server"/> (a cluster of the test's own, to restart it), and a fresh temporary folder.</summary>
    public static async Task<ClusterSandbox> CreateAsync(string name, IPostgresServer server)
    {
        var database = await server.CreateDatabaseAsync(name);
        var root = Directory.CreateTempSubdirectory($"mlops-cluster-{name}-").FullName;
        return new ClusterSandbox(database, root);
    }

    /// <summary>A fresh temporary folder for processes on the embedded default (no PostgreSQL needed).</summary>
    public static Task<ClusterSandbox> CreateEmbeddedAsync(string name) =>
        Task.FromResult(new ClusterSandbox(null, Directory.CreateTempSubdirectory($"mlops-embedded-{name}-").FullName));

    /// <summary>Writes <c>pipelines/data/FILE</c> with <c>mlops sample-data customer-churn --rows N</c>, run in this process.</summary>
    public async Task WriteChurnDataAsync(string file, int rows)
    {
        var (exit, _, stderr) = await CliAsync("sample-data", "customer-churn", "--rows", rows.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(DataFolder, file));
        Assert.That(exit, Is.Zero, $"mlops sample-data failed: {stderr}");
    }

    public void WritePipeline(string name, string yaml) => File.WriteAllText(Path.Combine(Pipelines, $"{name}.yaml"), yaml);

    /// <summary><c>mlops serve</c> as a real process on the sandbox's database, home and pipelines folder, listening on a free loopback port.</summary>
    /// <param name="name">The process's name in the test output.</param>
    /// <param name="environment">Variables added to the process's environment.</param>
    /// <param name="ownHome">Give the process an empty home folder of its own (<see cref="OwnHome"/>) instead of the shared one.</param>
    /// <param name="arguments">More arguments for <c>serve</c>.</param>
    public async Task<ServeProcess> StartServeAsync(
        string name, IReadOnlyDictionary<string, string>? environment = null, bool ownHome = false, IReadOnlyList<string>? arguments = null)
    {
        var state = ownHome ? StateArgumentsWith(CreateOwnHome(name), name) : StateArguments;
        var serve = await ServeProcess.StartAsync(name, Root, environment, ["--pipelines", Pipelines, .. state, .. arguments ?? []]);
        Track(serve.Process);
        return serve;
    }

    public async Task<WorkerProcess> StartWorkerAsync(string name, IReadOnlyDictionary<string, string>? environment = null, bool ownHome = false)
    {
        var worker = await WorkerProcess.StartAsync(this, name, environment, ownHome ? StateArgumentsWith(CreateOwnHome(name), name) : null);
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
        await using var connection = await OpenRunDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT run_id, pipeline, trigger_name, status, idempotency_key, created_at, started_at, finished_at, error, owner, heartbeat_at, model_version " +
            $"FROM {Table("runs")} WHERE pipeline = @pipeline ORDER BY created_at, seq";
        AddParameter(command, "pipeline", pipeline);
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

    /// <summary>The artifact paths (relative to <c>home/artifacts</c>) of every registered version of <paramref name="model"/>, from the registry's table.</summary>
    public async Task<IReadOnlyList<string>> ArtifactPathsAsync(string model)
    {
        await using var connection = await OpenRunDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT artifact_path FROM {Table("model_versions")} WHERE name = @name ORDER BY version";
        AddParameter(command, "name", model);
        await using var reader = await command.ExecuteReaderAsync();
        var paths = new List<string>();
        while (await reader.ReadAsync())
        {
            paths.Add(reader.GetString(0));
        }

        return paths;
    }

    /// <summary>Whether an artifact is stored: its file under <c>home/artifacts</c> (embedded) or its name in <c>mlops.artifact_names</c> (PostgreSQL).</summary>
    public async Task<bool> ArtifactExistsAsync(string artifact)
    {
        if (IsEmbedded)
        {
            return File.Exists(Path.Combine(Home, "artifacts", artifact));
        }

        await using var connection = await OpenRunDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM mlops.artifact_names WHERE path = @path";
        AddParameter(command, "path", artifact);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
    }

    public async Task<RunRow?> RunAsync(string pipeline, string runId) => (await RunsAsync(pipeline)).SingleOrDefault(r => r.RunId == runId);

    /// <summary>The steps of a run from the <c>mlops.steps</c> table, in pipeline order.</summary>
    public async Task<IReadOnlyList<StepRow>> StepsAsync(string runId)
    {
        await using var connection = await OpenRunDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT step_id, status, attempts, started_at, finished_at FROM {Table("steps")} WHERE run_id = @run ORDER BY ordinal";
        AddParameter(command, "run", runId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StepRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StepRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), Time(reader, 3), Time(reader, 4)));
        }

        return rows;
    }

    /// <summary>
    /// One column of text rows, read straight from Quartz's or Hangfire's tables: in PostgreSQL, or in an embedded
    /// sandbox from Quartz's <c>home/schedule.db</c>.
    /// </summary>
    public async Task<IReadOnlyList<string>> TextRowsAsync(string sql)
    {
        await using DbConnection connection = IsEmbedded
            ? new SqliteConnection($"Data Source={Path.Combine(Home, "schedule.db")};Mode=ReadOnly;Pooling=False")
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? "(null)" : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return rows;
    }

    /// <summary>What every process printed (the tail of it), for a failure message.</summary>
    /// <summary>
    /// The tear-down of a test that used a sandbox: what its processes printed goes to the test's output when the test
    /// failed, then every process is killed and the folders are deleted. Returns null, for the test's field.
    /// </summary>
    public static async Task<ClusterSandbox?> EndTestAsync(ClusterSandbox? sandbox)
    {
        if (sandbox is null)
        {
            return null;
        }

        if (TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync(sandbox.Describe());
            await TestContext.Out.WriteLineAsync(await sandbox.DescribeDatabaseSessionsAsync());
        }

        await sandbox.DisposeAsync();
        return null;
    }

    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var process in _processes)
        {
            text.AppendLine(process.Describe(60));
        }

        return text.ToString();
    }

    /// <summary>
    /// The sandbox database's sessions at the moment of a failure (process, state, what each waits for, for how long,
    /// its statement), so a request that timed out shows whether it waited on a lock and whose.
    /// </summary>
    public async Task<string> DescribeDatabaseSessionsAsync()
    {
        if (IsEmbedded)
        {
            return "";
        }

        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT pid, application_name, state, coalesce(wait_event_type || ':' || wait_event, '-'),
                       coalesce(extract(epoch FROM now() - xact_start)::numeric(10,1)::text, '-'),
                       array_to_string(pg_blocking_pids(pid), ','), left(regexp_replace(query, '\s+', ' ', 'g'), 160)
                FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY xact_start NULLS LAST
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var text = new StringBuilder("--- database sessions (pid, application, state, waits for, transaction age s, blocked by, statement) ---\n");
            while (await reader.ReadAsync())
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{reader.GetInt32(0)} | {reader.GetValue(1)} | {reader.GetValue(2)} | {reader.GetString(3)} | {reader.GetString(4)} | {reader.GetValue(5)} | {reader.GetValue(6)}");
            }

            return text.ToString();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return $"--- database sessions: not read ({e.Message}) ---";
        }
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

    private string CreateOwnHome(string process) => Directory.CreateDirectory(OwnHome(process)).FullName;

    private void Track(MlopsProcess process)
    {
        lock (_processes)
        {
            _processes.Add(process);
        }
    }

    /// <summary>PostgreSQL's <c>mlops</c> schema, or the embedded <c>home/mlops.db</c> (read-only, never pooled: the files stay deletable).</summary>
    private async Task<DbConnection> OpenRunDatabaseAsync()
    {
        DbConnection connection = IsEmbedded
            ? new SqliteConnection($"Data Source={Path.Combine(Home, "mlops.db")};Mode=ReadOnly;Pooling=False")
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private string Table(string name) => IsEmbedded ? name : $"mlops.{name}";

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>A <c>timestamptz</c> in PostgreSQL, ISO 8601 text in SQLite.</summary>
    private static DateTimeOffset? Time(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null
        : reader.GetValue(ordinal) is string text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
        : new DateTimeOffset(reader.GetDateTime(ordinal).ToUniversalTime(), TimeSpan.Zero);
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
