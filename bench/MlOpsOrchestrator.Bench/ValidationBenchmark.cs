using System.Diagnostics;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Scheduling.Cron;
using YamlDotNet.RepresentationModel;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// Loading and validating 1,000 pipeline files (the scheduler reloads them on every change), against the raw engine:
/// YamlDotNet parsing the same files into its representation model, in the same run.
/// </summary>
public sealed partial class ValidationBenchmark : IBenchmark
{
    private const int Files = 1000;
    private const int Rounds = 7;

    public string Name => "validation";
    public string Description => $"load + validate {Files} pipeline files vs YamlDotNet parse of the same files";

    [GeneratedRegex(@"^name: .*$", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    [GeneratedRegex(@"samples/([^/\s]+)/")]
    private static partial Regex SampleOf();

    [GeneratedRegex(@"^\s+features: \[[a-z_]+:", RegexOptions.Multiline)]
    private static partial Regex UsesFeatures();

    [GeneratedRegex(@"path: (\.\./)?[^\s]*?([^/\s]+\.csv)")]
    private static partial Regex DataPath();

    public Task<IReadOnlyList<Figure>> RunAsync(CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("mlops-bench-validation-").FullName;
        try
        {
            var (folder, templates) = Prepare(root);
            var loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = root }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
            var files = Directory.GetFiles(folder, "*.yaml");
            var invalid = loader.LoadAll([folder]).Count(r => !r.Succeeded);
            if (invalid > 0)
            {
                throw new InvalidOperationException($"{invalid} generated files did not validate; the benchmark would measure error paths");
            }

            var ours = Median(() => loader.LoadAll([folder]));
            var raw = Median(() =>
            {
                foreach (var file in files)
                {
                    using var reader = new StreamReader(file);
                    new YamlStream().Load(reader);
                }
            });
            var per100 = ours / (Files / 100.0);
            var rawPer100 = raw / (Files / 100.0);
            IReadOnlyList<Figure> figures =
            [
                new Figure("validation.per100", "Load + validate, per 100 pipeline files", per100, rawPer100, "ms",
                    "well under 1 s per 100 files (≤ 250 ms)", per100 <= 250,
                    $"{Files} files from the repository's {templates} pipeline and sample files, unique names; median of {Rounds} rounds after a warm-up; baseline: YamlDotNet parse only"),
            ];
            return Task.FromResult(figures);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Copies the sample data (each sample's files in a folder named after the sample, as two samples may ship files of
    /// the same name) and writes 1,000 pipelines made from the repository's own, renamed.
    /// </summary>
    private static (string Folder, int Templates) Prepare(string root)
    {
        var repo = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(ResultsFile.DefaultPath())!)!)!;
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var samples = Path.Combine(repo, "samples");
        foreach (var csv in Directory.GetFiles(samples, "*.csv", SearchOption.AllDirectories))
        {
            var sample = Path.GetRelativePath(samples, csv).Split(Path.DirectorySeparatorChar)[0];
            File.Copy(csv, Path.Combine(Directory.CreateDirectory(Path.Combine(data, sample)).FullName, Path.GetFileName(csv)), overwrite: true);
        }

        // pipelines/ name a sample's file (../samples/NAME/data/FILE); a sample names its own (data/FILE).
        var templates = Directory.GetFiles(Path.Combine(repo, "pipelines"), "*.yaml")
            .Select(file => (File: file, Sample: (string?)null))
            .Concat(Directory.GetFiles(samples, "*.yaml", SearchOption.AllDirectories)
                .Select(file => (File: file, Sample: (string?)Path.GetRelativePath(samples, file).Split(Path.DirectorySeparatorChar)[0])))
            .Where(t => !FeatureViewFiles.IsView(t.File) && !UsesFeatures().IsMatch(File.ReadAllText(t.File))) // views and their users need a features folder
            .Select(t => DataPath().Replace(File.ReadAllText(t.File),
                m => $"path: ../data/{t.Sample ?? SampleOf().Match(m.Value).Groups[1].Value}/{m.Groups[2].Value}"))
            .ToList();
        var folder = Directory.CreateDirectory(Path.Combine(root, "pipelines")).FullName;
        for (var i = 0; i < Files; i++)
        {
            var text = NameLine().Replace(templates[i % templates.Count], $"name: pipeline-{i:0000}", 1);
            File.WriteAllText(Path.Combine(folder, $"pipeline-{i:0000}.yaml"), text);
        }

        return (folder, templates.Count);
    }

    private static double Median(Action action)
    {
        action();
        var times = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
