using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.RealDataPipelines;

/// <summary>What one in-process <c>mlops</c> invocation printed and returned.</summary>
internal sealed record CliOutput(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// One user's machine for a real-data pipeline: a fresh <c>--home</c> (embedded storage), the datasets folder as
/// <c>--data-root</c>, and <c>MLOPS_REAL_DATA</c> set to that folder, since the pipeline files under
/// <c>RealData/pipelines</c> name their data as <c>${env:MLOPS_REAL_DATA}/...</c>. Variables that would send the
/// state elsewhere (<c>MLOPS_HOME</c>, <c>MLOPS_POSTGRES</c>, <c>MLOPS_DATA_ROOT</c>) are removed while it is open;
/// every variable is put back on dispose. Commands run exactly as a user types them, in this process.
/// </summary>
internal sealed class PipelineSession : IDisposable
{
    private static readonly string[] StateVariables = ["MLOPS_HOME", "MLOPS_POSTGRES", "MLOPS_DATA_ROOT"];

    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);
    private readonly string _folder;

    private PipelineSession(string dataRoot)
    {
        DataRoot = dataRoot;
        _folder = Directory.CreateTempSubdirectory("mlops-real-data-").FullName;
        foreach (var name in StateVariables)
        {
            Set(name, null);
        }

        Set(RealData.EnvironmentVariable, dataRoot);
    }

    /// <summary>The folder of the example pipelines, in the repository.</summary>
    public static string PipelinesFolder =>
        RepositoryPaths.Combine("tests", "MlOpsOrchestrator.Integration.Tests", "RealData", "pipelines");

    /// <summary>The datasets folder, the data root of every command.</summary>
    public string DataRoot { get; }

    public string Home => Path.Combine(_folder, "home");

    /// <summary>A session whose data root is the datasets folder; <paramref name="files"/> must exist (fails on CI, skips elsewhere).</summary>
    public static PipelineSession Open(params string[] files)
    {
        foreach (var file in files)
        {
            RealData.Require(file);
        }

        return new PipelineSession(RealData.Root);
    }

    /// <summary>The full path of a dataset file.</summary>
    public string Data(string relative) => Path.Combine(DataRoot, relative);

    /// <summary><c>mlops ARGS... --home H --data-root D</c>, in this process.</summary>
    public Task<CliOutput> CliAsync(params string[] args) => ExactlyAsync([.. args, "--home", Home, "--data-root", DataRoot]);

    /// <summary><c>mlops validate PATH --data-root D</c> (validate keeps no state, so it takes no <c>--home</c>).</summary>
    public Task<CliOutput> ValidateAsync(string path) => ExactlyAsync(["validate", path, "--data-root", DataRoot]);

    /// <summary>
    /// <c>mlops run PIPELINES/FILE --json</c>; asserts exit 0 and one JSON document on stdout, and writes the
    /// metrics of every train and evaluate step with the wall time to the test output.
    /// </summary>
    public async Task<PipelineRun> RunAsync(string pipelineFile)
    {
        var clock = Stopwatch.StartNew();
        var output = await CliAsync("run", Path.Combine(PipelinesFolder, pipelineFile), "--json");
        clock.Stop();
        Assert.That(output.ExitCode, Is.Zero, $"mlops run {pipelineFile} --json\n{output}");
        var run = new PipelineRun(Parse(output), output, clock.Elapsed);
        TestContext.Out.WriteLine(run.Summary());
        return run;
    }

    /// <summary><c>mlops predict MODEL --input JSON --json</c>; asserts exit 0 and returns the prediction(s).</summary>
    public async Task<JsonNode> PredictAsync(string model, JsonNode input)
    {
        var output = await CliAsync("predict", model, "--input", input.ToJsonString(), "--json");
        Assert.That(output.ExitCode, Is.Zero, $"mlops predict {model} --input {Shorten(input.ToJsonString())} --json\n{output}");
        Assert.That(output.Stderr, Does.Contain($"scored with {model} version 1 (production)"));
        return Parse(output);
    }

    /// <summary><c>mlops predict MODEL --input-file F --json</c> with an array of rows; one prediction per row, in order.</summary>
    public async Task<JsonArray> PredictManyAsync(string model, IReadOnlyList<JsonObject> rows)
    {
        var file = Path.Combine(_folder, $"{model}-input.json");
        await File.WriteAllTextAsync(file, new JsonArray([.. rows.Select(r => (JsonNode)r.DeepClone())]).ToJsonString());
        var output = await CliAsync("predict", model, "--input-file", file, "--json");
        Assert.That(output.ExitCode, Is.Zero, $"mlops predict {model} --input-file ({rows.Count} rows) --json\n{Shorten(output.ToString())}");
        var predictions = Parse(output) as JsonArray ?? throw new AssertionException($"an array input must give an array: {Shorten(output.Stdout)}");
        Assert.That(predictions, Has.Count.EqualTo(rows.Count), "one prediction per input row");
        return predictions;
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }

    private static async Task<CliOutput> ExactlyAsync(string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await MlOpsCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return new CliOutput(exit, stdout.ToString(), stderr.ToString());
    }

    private void Set(string name, string? value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    private static JsonNode Parse(CliOutput output)
    {
        try
        {
            return JsonNode.Parse(output.Stdout) ?? throw new AssertionException($"stdout is JSON null\n{output}");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new AssertionException($"stdout is not one JSON document ({ex.Message})\n{Shorten(output.ToString())}");
        }
    }

    private static string Shorten(string text) => text.Length <= 4000 ? text : text[..4000] + " …";
}
