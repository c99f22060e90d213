using System.Text.Encodings.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>What the HTTP API adds to a host composed by <c>AddMlOps</c>.</summary>
internal static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddMlOpsApi(this IServiceCollection services, ApiSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(AllowedHosts.From(settings.Urls, settings.AllowedHosts));
        services.AddSingleton<ScorerCache>();
        services.TryAddSingleton(sp => new OnlineFeatureClock(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OnlineRowFeatures>();
        services.AddHostedService<ScorerRefresher>();
        services.AddSingleton<ShadowScorer>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowScorer>());
        services.AddSingleton<PipelineViews>();
        services.AddOpenApi(); // GET /openapi/v1.json: the API's routes as mapped, checked against them by a test
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        return services;
    }
}
