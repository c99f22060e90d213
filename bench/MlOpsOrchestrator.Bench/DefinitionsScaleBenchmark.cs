using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using static MlOpsOrchestrator.Bench.Percentiles;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// Scale of definitions: <c>mlops serve</c> (a child process, embedded storage) started on a folder of 1,500 pipeline
/// files made from the repository's own pipelines (unique names, every cron trigger moved to a distinct time in
/// January so none fires during the measurement). Measured: launch to the start-up report, which the host prints only
/// after every file was loaded and validated and Quartz holds every trigger; and the resident memory once settled.
/// Afterwards <c>GET /api/pipelines</c> must list 1,500 scheduled pipelines whose cron triggers are all scheduled.
/// The baseline is the same process on an empty folder, so the ratio is what the definitions cost.
/// </summary>
public sealed partial class DefinitionsScaleBenchmark : IBenchmark
{
    private const int Files = 1500;
    private const int Repetitions = 3;
    private const double GoalSeconds = 3;
    private const double GoalMb = 300;

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public string Name => "definitions-scale";

    public string Description => $"mlops serve loading, validating and scheduling {Files:N0} pipeline files vs the same serve on an empty folder";

    [GeneratedRegex(@"^name: .*$", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    [GeneratedRegex(@"path: [^\s]*?([^/\s]+\.csv)")]
    private static partial Regex DataPath();

    [GeneratedRegex(@"cron: ""[^""]*""")]
    private static partial Regex Cron();

    [GeneratedRegex(@"^pipelines: (\d+) loaded from .*, (\d+) invalid file")]
    private static partial Regex LoadedLine();

    public async Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("mlops-bench-definitions-").FullName;
        try
        {
            var (full, empty, triggers) = Prepare(root);
            var load = LoadAverage();
            var ours = new List<Started>();
            var baseline = new List<Started>();
            for (var i = 0; i < Repetitions; i++)
            {
                if (i % 2 == 0)
                {
                    ours.Add(await ServeAsync(root, full, Files, triggers, $"full-{i}", ct));
                    baseline.Add(await ServeAsync(root, empty, 0, 0, $"empty-{i}", ct));
                }
                else
                {
                    baseline.Add(await ServeAsync(root, empty, 0, 0, $"empty-{i}", ct));
                    ours.Add(await ServeAsync(root, full, Files, triggers, $"full-{i}", ct));
                }

                Console.Error.WriteLine(Invariant($"  #{i + 1}: {Files:N0} files {ours[^1].Seconds:0.00} s, {ours[^1].ResidentMb:0} MB; empty folder {baseline[^1].Seconds:0.00} s, {baseline[^1].ResidentMb:0} MB"));
            }

            var seconds = (Ours: Median(ours.Select(s => s.Seconds).ToList()), Baseline: Median(baseline.Select(s => s.Seconds).ToList()));
            var memory = (Ours: Median(ours.Select(s => s.ResidentMb).ToList()), Baseline: Median(baseline.Select(s => s.ResidentMb).ToList()));
            var setup = Invariant($"{Files:N0} files made from the repository's {Directory.GetFiles(Path.Combine(RepositoryRoot(), "pipelines"), "*.yaml").Length} pipelines (renamed, ")
                + Invariant($"{triggers:N0} cron triggers moved to distinct times in January), `mlops serve --pipelines DIR --urls http://127.0.0.1:0`, embedded storage, a fresh home each start; ")
                + Invariant($"median of {Repetitions} alternating starts of each; load average at start {load}");
            return
            [
                new Figure("definitions-scale.startup", "Load, validate and schedule 1,500 pipeline files: `serve` launch to start-up report (vs empty folder)",
                    seconds.Ours, seconds.Baseline, "s", Invariant($"≤ {GoalSeconds:0} s"), seconds.Ours <= GoalSeconds,
                    setup + Invariant($"; from process launch to the start-up report, printed once every file is validated and every trigger is in Quartz; ")
                    + Invariant($"then GET /api/pipelines listed {Files:N0} scheduled pipelines with all cron triggers scheduled; starts: ")
                    + Invariant($"{string.Join(", ", ours.Select(s => Format(s.Seconds)))} s vs {string.Join(", ", baseline.Select(s => Format(s.Seconds)))} s")),
                new Figure("definitions-scale.memory", "Memory of `serve` holding 1,500 pipelines: resident set after start-up (vs empty folder)",
                    memory.Ours, memory.Baseline, "MB", Invariant($"≤ {GoalMb:0} MB"), memory.Ours <= GoalMb,
                    Invariant($"VmRSS (MiB) {Settle.TotalSeconds:0} s after the start-up report, before any API call; peak during start-up (VmHWM) ")
                    + Invariant($"{Median(ours.Select(s => s.PeakMb).ToList()):0} MB vs {Median(baseline.Select(s => s.PeakMb).ToList()):0} MB; starts: ")
                    + Invariant($"{string.Join(", ", ours.Select(s => Format(s.ResidentMb, "0")))} MB vs {string.Join(", ", baseline.Select(s => Format(s.ResidentMb, "0")))} MB")),
            ];
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<Started> ServeAsync(string root, string folder, int files, int triggers, string name, CancellationToken ct)
    {
        var home = Path.Combine(root, "home-" + name);
        await using var serve = BenchProcess.StartDll(BenchProcess.MlOpsDll,
            ["serve", "--pipelines", folder, "--home", home, "--data-root", root, "--urls", "http://127.0.0.1:0"], root);
        var (line, at) = await serve.WaitForLineAsync(l => LoadedLine().IsMatch(l), StartTimeout, ct);
        var loaded = LoadedLine().Match(line);
        if (int.Parse(loaded.Groups[1].Value, CultureInfo.InvariantCulture) != files || loaded.Groups[2].Value != "0")
        {
            throw new InvalidOperationException($"serve reported '{line}', expected {files} loaded and no invalid file; {serve.Describe()}");
        }

        var (api, _) = await serve.WaitForLineAsync(l => l.StartsWith("api:", StringComparison.Ordinal), StartTimeout, ct);
        var baseUri = new Uri(api["api:".Length..].Trim().Split(' ')[0].Replace("/api/pipelines", "/", StringComparison.Ordinal));
        await Task.Delay(Settle, ct);
        var resident = serve.ResidentBytes() ?? throw new InvalidOperationException($"serve exited; {serve.Describe()}");
        var peak = serve.PeakBytes;
        await VerifyAsync(baseUri, files, triggers, ct);
        return new Started(at.TotalSeconds, resident / 1048576.0, peak / 1048576.0);
    }

    /// <summary>Every pipeline is listed as scheduled, and Quartz holds each of its cron triggers.</summary>
    private static async Task VerifyAsync(Uri baseUri, int files, int triggers, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/pipelines", UriKind.Relative), ct));
        var pipelines = document.RootElement.EnumerateArray().ToList();
        var scheduled = pipelines.Count(p => p.GetProperty("scheduled").GetBoolean());
        var cron = pipelines.SelectMany(p => p.GetProperty("triggers").EnumerateArray())
            .Where(t => t.TryGetProperty("cron", out var expression) && expression.ValueKind == JsonValueKind.String)
            .ToList();
        var held = cron.Count(t => t.GetProperty("scheduled").GetBoolean());
        if (pipelines.Count != files || scheduled != files || cron.Count != triggers || held != triggers)
        {
            throw new InvalidOperationException(
                $"GET /api/pipelines: {pipelines.Count} pipelines, {scheduled} scheduled, {held} of {cron.Count} cron triggers scheduled; expected {files} and {triggers}");
        }
    }

    /// <summary>The data the pipelines read, 1,500 renamed copies of the repository's pipelines, and an empty folder.</summary>
    private static (string Full, string Empty, int Triggers) Prepare(string root)
    {
        var repo = RepositoryRoot();
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        foreach (var csv in Directory.GetFiles(Path.Combine(repo, "samples"), "*.csv", SearchOption.AllDirectories))
        {
            var target = Path.Combine(data, Path.GetFileName(csv));
            if (!File.Exists(target))
            {
                File.Copy(csv, target);
            }
        }

        var templates = Directory.GetFiles(Path.Combine(repo, "pipelines"), "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .Select(text => DataPath().Replace(text, m => $"path: ../data/{m.Groups[1].Value}"))
            .ToList();
        var full = Directory.CreateDirectory(Path.Combine(root, "pipelines")).FullName;
        var triggers = 0;
        for (var i = 0; i < Files; i++)
        {
            var text = NameLine().Replace(templates[i % templates.Count], $"name: pipeline-{i:0000}", 1);
            text = Cron().Replace(text, _ => $"cron: \"{JanuaryCron(triggers++)}\"");
            File.WriteAllText(Path.Combine(full, $"pipeline-{i:0000}.yaml"), text);
        }

        return (full, Directory.CreateDirectory(Path.Combine(root, "empty")).FullName, triggers);
    }

    /// <summary>A distinct minute in January for each trigger: never due while the benchmark runs (outside January 1-28).</summary>
    private static string JanuaryCron(int index) => string.Create(CultureInfo.InvariantCulture,
        $"0 {index % 60} {index / 60 % 24} {1 + (index / 1440 % 28)} 1 ?");

    private static string RepositoryRoot() =>
        Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(ResultsFile.DefaultPath())!)!)!;

    private sealed record Started(double Seconds, double ResidentMb, double PeakMb);
}
