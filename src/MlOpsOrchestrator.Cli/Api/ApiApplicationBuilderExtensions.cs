using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>The HTTP pipeline of <c>serve</c> around the API: errors, request logging, authorization, then the routes.</summary>
internal static class ApiApplicationBuilderExtensions
{
    /// <summary>
    /// Adds, in order: the exception handler, request logging, <see cref="RequestGuardMiddleware"/> on every path (Host,
    /// origin and content type; the dashboard mounted after this included), and <see cref="AccessMiddleware"/> on
    /// <c>/api</c>, <c>/health</c>, <c>/metrics</c> and <c>/openapi</c>.
    /// </summary>
    public static IApplicationBuilder UseMlOpsApi(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = ApiExceptionHandler.HandleAsync,
            SuppressDiagnosticsCallback = _ => true,
        });
        // The host's own Serilog logger: the static Log.Logger is left alone (several hosts may share a process).
        var logger = app.ApplicationServices.GetService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(o =>
        {
            var dashboardPath = app.ApplicationServices.GetRequiredService<ApiSettings>().DashboardPath;
            o.GetLevel = (context, elapsed, exception) => RequestLevel(context, exception, dashboardPath);
            o.Logger = logger;
        });
        app.UseMiddleware<RequestGuardMiddleware>();
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || c.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                || c.Request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
                || c.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase),
            branch => branch.UseMiddleware<AccessMiddleware>());
        app.UseRouting();
        return app;
    }

    public static IEndpointRouteBuilder MapMlOpsApi(this IEndpointRouteBuilder routes)
    {
        // Every route value and query string value is checked once, here, before an endpoint reads it.
        var api = routes.MapGroup(string.Empty).AddEndpointFilter<ApiInputFilter>();
        HealthEndpoints.Map(api);
        PipelineEndpoints.Map(api);
        RunEndpoints.Map(api);
        RunActionEndpoints.Map(api);
        ModelEndpoints.Map(api);
        FeedbackEndpoints.Map(api);
        routes.MapOpenApi();
        return routes;
    }

    /// <summary>
    /// Health probes, metric scrapes and the dashboard's polling are frequent and dull: Debug. So are answered predictions: they can
    /// come a thousand a second, each already kept in the prediction log, and writing a log line for each would cost
    /// more than scoring it (rejected ones stay at Information). Server errors: Error; the rest: Information.
    /// </summary>
    private static LogEventLevel RequestLevel(HttpContext context, Exception? exception, string dashboardPath)
    {
        var status = context.Response.StatusCode;
        if (exception is not null || status >= StatusCodes.Status500InternalServerError)
        {
            return LogEventLevel.Error;
        }

        var path = context.Request.Path;
        return path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || path.StartsWithSegments(dashboardPath)
            || (status < StatusCodes.Status400BadRequest && ModelEndpoints.IsPredict(context.Request))
            ? LogEventLevel.Debug
            : LogEventLevel.Information;
    }
}
