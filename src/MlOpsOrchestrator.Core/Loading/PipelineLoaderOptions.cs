using MlOpsOrchestrator.Sources;

namespace MlOpsOrchestrator.Loading;

/// <summary>Where data may live and where <c>${env:…}</c> values come from.</summary>
public sealed record PipelineLoaderOptions
{
    /// <summary>Data paths may not escape this folder. Default: the working directory.</summary>
    public string DataRoot { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Resolves <c>${env:NAME}</c>; default: the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// The source types a pipeline may name and the keys each takes: a host passes those of the
    /// <see cref="ISourceReader"/>s it registered. Default: the types the product ships readers for.
    /// </summary>
    public IReadOnlyList<SourceKeys> Sources { get; init; } = SourceKeys.BuiltIn;

    /// <summary>
    /// The folder of the feature views that pipelines' <c>data.features</c> name (<c>--features DIR</c>); null: a
    /// <c>features</c> folder next to the pipeline file or next to its folder (<see cref="FeatureFolders"/>).
    /// </summary>
    public string? FeaturesFolder { get; init; }

    /// <summary>The clock for rules that look ahead (a cron that never fires again).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
