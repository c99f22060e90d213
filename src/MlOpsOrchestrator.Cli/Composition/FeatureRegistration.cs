using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>The offline feature store for the dashboard's Features page, for every host.</summary>
internal static class FeatureRegistration
{
    public static void Add(IServiceCollection services) =>
        services.AddSingleton<IFeatureLookup>(sp => new FeatureStoreLookup(sp.GetRequiredService<IArtifactStore>(), sp.GetRequiredService<SourceReaders>()));
}
