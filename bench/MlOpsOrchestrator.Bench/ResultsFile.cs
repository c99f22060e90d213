using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlOpsOrchestrator.Bench;

/// <summary>bench/results/latest.json: every figure of the last run of each benchmark, with the machine it ran on.</summary>
public sealed class ResultsFile(string path)
{
    private readonly JsonObject _root = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : new JsonObject();

    public string Path => path;

    public static string DefaultPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "MlOpsOrchestrator.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? Directory.GetCurrentDirectory();
        return System.IO.Path.Combine(root, "bench", "results", "latest.json");
    }

    public void Set(Figure figure)
    {
        var figures = _root["figures"] as JsonObject ?? [];
        _root["figures"] = figures;
        figures[figure.Key] = new JsonObject
        {
            ["title"] = figure.Title,
            ["ours"] = figure.Ours,
            ["baseline"] = figure.Baseline,
            ["ratio"] = figure.Ratio,
            ["unit"] = figure.Unit,
            ["goal"] = figure.Goal,
            ["met"] = figure.Met,
            ["notes"] = figure.Notes,
            ["measuredAt"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        _root["machine"] = new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        };
    }

    /// <summary>Records a rerun of every benchmark: when it started and how long it took, build excluded.</summary>
    public void SetFullRun(DateTimeOffset startedAt, TimeSpan took, IEnumerable<string> benchmarks)
    {
        _root["fullRun"] = new JsonObject
        {
            ["startedAt"] = startedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            ["seconds"] = Math.Round(took.TotalSeconds, 1),
            ["benchmarks"] = new JsonArray([.. benchmarks.Select(b => (JsonNode?)JsonValue.Create(b))]),
        };
    }

    public void Save()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }
}
