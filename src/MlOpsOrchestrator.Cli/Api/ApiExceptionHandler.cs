using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The last line of the HTTP host: a malformed request is a 400 saying why; anything else that escapes an endpoint
/// is logged with its stack trace and answered with a 500 that names the trace id to look for, never the exception.
/// </summary>
internal static class ApiExceptionHandler
{
    public static async Task HandleAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (exception is BadHttpRequestException bad)
        {
            await ApiJson.Error(bad.StatusCode, bad.Message).ExecuteAsync(context);
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiExceptionHandler).FullName!);
        logger.LogError(exception, "Request {Method} {Path} failed (trace {TraceId})", context.Request.Method, context.Request.Path.Value, context.TraceIdentifier);
        await ApiJson.Error(StatusCodes.Status500InternalServerError, $"internal error; the server log has the details (trace id {context.TraceIdentifier})")
            .ExecuteAsync(context);
    }
}
