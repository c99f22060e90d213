using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// Where the product's metrics and spans (<see cref="MlOpsTelemetry"/>) go: <c>serve</c> answers <c>/metrics</c> in
/// Prometheus text; both <c>serve</c> and <c>worker</c> export metrics and traces by OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter's standard <c>OTEL_*</c> variables apply). Spans are always
/// recorded, exported or not, so every log line of a run carries its trace id.
/// </summary>
internal static class HostTelemetry
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string MetricsPath = "/metrics";

    public static bool OtlpEnabled => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));

    public static IServiceCollection AddMlOpsTelemetry(this IServiceCollection services, MlOpsHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var serve = settings.Role == HostRole.Serve;
        var otlp = OtlpEnabled;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(
                    Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : "mlops",
                    serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}")
                .AddAttributes([new("mlops.role", serve ? "serve" : "worker")]))
            .WithTracing(tracing =>
            {
                tracing.AddSource(MlOpsTelemetry.Name).SetSampler(new AlwaysOnSampler());
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MlOpsTelemetry.Name);
                if (serve)
                {
                    // Every scrape sees the runs recorded until then: no cached answer.
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        if (serve)
        {
            // The gauges read from the stores are the cluster's state: one serve reports them, workers do not.
            services.AddSingleton<TelemetryReader>();
            services.AddSingleton<TelemetryRefresher>();
            if (otlp)
            {
                services.AddHostedService<TelemetryRefreshLoop>();
            }
        }

        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c>: the gauges are read from the stores, then the exporter answers in Prometheus text. The access
    /// rule is that of the API (a viewer token may read it), applied by the API's pipeline.
    /// </summary>
    public static WebApplication MapMlOpsMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(async (context, next) =>
            {
                // Resolved per request: the stores it reads open with the host, after this pipeline is built.
                await context.RequestServices.GetRequiredService<TelemetryRefresher>().RefreshAsync(context.RequestAborted);
                await next(context);
            }));
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
