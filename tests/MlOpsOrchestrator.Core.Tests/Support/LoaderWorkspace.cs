using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Tests.Catalogs;

namespace MlOpsOrchestrator.Tests.Support;

/// <summary>
/// A temporary data root with the sample CSV files, a controllable environment and a loader over the fake catalog
/// and cron evaluator. Files are loaded under their relative name, so errors read <c>pipeline.yaml:3:5: …</c>.
/// </summary>
internal sealed class LoaderWorkspace : IDisposable
{
    private readonly TempDirectory _root = new();

    public LoaderWorkspace()
    {
        _root.Write("data/bike-hourly.csv", "ts,season,temp,humidity,count,comment,id\n2024-01-01T00:00:00Z,winter,3.5,0.8,16,,1\n");
        _root.Write("data/bike-hourly-test.csv", "ts,season,temp,humidity,count,comment,id\n2024-02-01T00:00:00Z,winter,1.5,0.7,12,,2\n");
        _root.Write("data/churn.csv", "age,plan,churned\n42,basic,true\n");
    }

    public string Root => _root.Path;

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public FakeCronEvaluator Cron { get; } = new();

    /// <summary>The source types the loader accepts, as a host's source readers describe them; null: the built-in ones.</summary>
    public IReadOnlyList<SourceKeys>? Sources { get; set; }

    public PipelineLoader Loader => new(
        new PipelineLoaderOptions { DataRoot = _root.Path, Environment = name => Environment.GetValueOrDefault(name), Sources = Sources ?? SourceKeys.BuiltIn },
        FakeTrainerCatalog.Instance,
        Cron);

    /// <summary>Writes <paramref name="relative"/> under the root and returns its full path.</summary>
    public string Write(string relative, string content) => _root.Write(relative, content);

    /// <summary>Writes the YAML as <paramref name="file"/> and loads it; errors name the file as given.</summary>
    public LoadResult Load(string yaml, string file = "pipeline.yaml") => Loader.LoadFile(Write(file, yaml), file);

    public void Dispose() => _root.Dispose();
}
