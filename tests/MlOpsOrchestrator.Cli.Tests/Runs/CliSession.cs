using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// One user's machine for a test: a fresh <c>--home</c>, a data root and, for PostgreSQL, a fresh database given as
/// <c>--postgres</c>. Commands run in-process exactly as typed, with those storage options appended, so every command
/// of a test sees the same run history and registry.
/// </summary>
internal sealed class CliSession : IDisposable
{
    /// <summary>Variables that would silently redirect a test's state elsewhere; removed while a session is open.</summary>
    public static readonly string[] StateVariables = ["MLOPS_HOME", "MLOPS_POSTGRES", "MLOPS_DATA_ROOT"];

    private readonly EnvironmentScope _environment;

    private CliSession(TempFolder temp, string dataRoot, string? postgres)
    {
        Temp = temp;
        DataRoot = dataRoot;
        Postgres = postgres;
        _environment = EnvironmentScope.Without(StateVariables);
    }

    public TempFolder Temp { get; }

    /// <summary>The <c>--home</c> of every command: artifacts, logs and (embedded mode) the database.</summary>
    public string Home => Temp.Combine("home");

    public string DataRoot { get; }

    /// <summary>The <c>--postgres</c> connection string, or null for the embedded default.</summary>
    public string? Postgres { get; }

    /// <summary>
    /// A session on <paramref name="engine"/>. <paramref name="dataRoot"/> defaults to the session's temp folder. For
    /// PostgreSQL the test fails (CI) or is skipped (elsewhere) when no server can be started.
    /// </summary>
    public static async Task<CliSession> OpenAsync(StorageEngine engine, string? dataRoot = null, string database = "cli_runs")
    {
        string? postgres = null;
        if (engine == StorageEngine.Postgres)
        {
            var server = await PostgresTestEnvironment.RequireAsync();
            postgres = await server.CreateDatabaseAsync(database);
        }

        var temp = new TempFolder();
        return new CliSession(temp, dataRoot ?? temp.Path, postgres);
    }

    /// <summary><c>mlops COMMAND ARGS... --home H --data-root D [--postgres C]</c>.</summary>
    public Task<CliResult> RunAsync(string command, params string[] args)
    {
        List<string> full = [command, .. args, "--home", Home, "--data-root", DataRoot];
        if (Postgres is not null)
        {
            full.AddRange(["--postgres", Postgres]);
        }

        return CliRun.RunAsync([.. full]);
    }

    /// <summary>Runs the command with <c>--json</c>, asserts its exit code and that stdout is one JSON document; returns it.</summary>
    public async Task<(CliResult Result, JsonNode Json)> JsonAsync(int expectedExit, string command, params string[] args)
    {
        var result = await RunAsync(command, [.. args, "--json"]);
        Assert.That(result.ExitCode, Is.EqualTo(expectedExit), $"mlops {command} {string.Join(' ', args)} --json\n{result}");
        return (result, ParseJson(result));
    }

    public static JsonNode ParseJson(CliResult result)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(result.Stdout);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new AssertionException($"stdout is not one JSON document ({ex.Message})\n{result}");
        }

        return node ?? throw new AssertionException($"stdout is JSON null\n{result}");
    }

    /// <summary>The run <c>mlops show RUN --json</c> prints (always exit 0 for a known run).</summary>
    public async Task<JsonNode> ShowAsync(string runId) => (await JsonAsync(0, "show", runId)).Json;

    /// <summary><c>mlops models NAME --json</c>.</summary>
    public async Task<JsonNode> ModelsAsync(string name) => (await JsonAsync(0, "models", name)).Json;

    /// <summary>The file behind an artifact path of a run record.</summary>
    public string ArtifactFile(string artifact) => Path.Combine(Home, "artifacts", artifact);

    /// <summary>Whether an artifact of a run record is stored: its file under <c>home/artifacts</c> (embedded) or its name in the database (PostgreSQL).</summary>
    public bool ArtifactExists(string artifact)
    {
        if (Postgres is null)
        {
            return File.Exists(ArtifactFile(artifact));
        }

        using var connection = new Npgsql.NpgsqlConnection(Postgres);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM mlops.artifact_names WHERE path = @path", connection);
        command.Parameters.AddWithValue("path", artifact);
        return (long)command.ExecuteScalar()! > 0;
    }

    public void Dispose()
    {
        _environment.Dispose();
        Temp.Dispose();
    }
}
