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

    public PipelineLoader Loader(string? dataRoot) => new(
        new PipelineLoaderOptions { DataRoot = Path.GetFullPath(dataRoot ?? Environment.GetEnvironmentVariable("MLOPS_DATA_ROOT") ?? Directory.GetCurrentDirectory()) },
        MlNetTrainerCatalog.Default,
        Cron);
}
