using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Scheduling.Cron;

namespace MlOpsOrchestrator.Cli;

/// <summary>What a command needs from its invocation: where to write, the clock, and how pipelines are loaded.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, TimeProvider time)
{
    public TextWriter Out => stdout;
    public TextWriter Error => stderr;
    public TimeProvider Time => time;
    public ICronEvaluator Cron { get; } = QuartzCronEvaluator.Instance;

    public PipelineLoader Loader(string? dataRoot, string? features = null) => new(LoaderOptions(dataRoot, features), MlNetTrainerCatalog.Default, Cron);

    /// <summary>The loader's options; <paramref name="features"/> is <c>--features DIR</c> (null: beside each pipeline).</summary>
    public static PipelineLoaderOptions LoaderOptions(string? dataRoot, string? features) => new()
    {
        DataRoot = Path.GetFullPath(dataRoot ?? Environment.GetEnvironmentVariable("MLOPS_DATA_ROOT") ?? Directory.GetCurrentDirectory()),
        FeaturesFolder = features is null ? null : Path.GetFullPath(features),
    };
}
