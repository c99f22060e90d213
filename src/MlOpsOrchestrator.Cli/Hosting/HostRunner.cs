using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using MlOpsOrchestrator.Scheduling.Quartz;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// Runs a long-running host for a command: checks the settings (every problem listed, exit 2), starts the host,
/// prints what started, and waits for Ctrl+C or SIGTERM, after which the host stops gracefully (exit 0). Failures a
/// user can fix become one line and an exit code, not a stack trace.
/// </summary>
internal static class HostRunner
{
    public static async Task<int> RunAsync(CliContext context, MlOpsHostSettings settings, Func<MlOpsHostSettings, IHost> build, CancellationToken ct)
    {
        var problems = MlOpsHostSettingsValidator.Validate(settings);
        if (problems.Count > 0)
        {
            return await RefuseAsync(context, problems);
        }

        IHost? host = null;
        try
        {
            try
            {
                // Building can already touch the database (Hangfire prepares its schema when the dashboard is mounted).
                host = build(settings);
                await host.StartAsync(ct);
            }
            catch (MlOpsSettingsException ex)
            {
                return await RefuseAsync(context, ex.Problems);
            }
            catch (Exception ex) when (StartFailure(ex, settings) is { } failure)
            {
                await context.Error.WriteLineAsync($"error: {failure.Message}");
                return failure.ExitCode;
            }

            await StartupReport.WriteAsync(context.Out, host.Services, settings);
            await host.WaitForShutdownAsync(ct);
            await context.Error.WriteLineAsync("stopped");
            return ExitCodes.Success;
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                host?.Dispose();
            }
        }
    }

    private static async Task<int> RefuseAsync(CliContext context, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            await context.Error.WriteLineAsync($"error: {problem}");
        }

        await context.Error.WriteLineAsync($"{problems.Count} problem(s); nothing was started");
        return ExitCodes.BadInput;
    }

    /// <summary>The start-up failures a user can act on get one line; anything else is reported with its stack trace.</summary>
    private static (string Message, int ExitCode)? StartFailure(Exception ex, MlOpsHostSettings settings)
    {
        var cause = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : ex;
        return cause switch
        {
            OperationCanceledException => ("stopped before start-up finished", ExitCodes.WorkFailed),
            IOException when cause.InnerException is SocketException || cause.Message.Contains("bind", StringComparison.OrdinalIgnoreCase) =>
                ($"cannot listen on {string.Join(", ", settings.Urls)}: {cause.Message.TrimEnd('.')}; is another process using the port? pick another with --urls", ExitCodes.BadInput),
            ArgumentException when cause.Source == "Npgsql" || cause.Message.Contains("connection string", StringComparison.OrdinalIgnoreCase) =>
                ($"invalid PostgreSQL connection string: {cause.Message}", ExitCodes.BadInput),
            ScheduleStoreInUseException => (cause.Message, ExitCodes.BadInput),
            _ when cause.GetType().Name is "NpgsqlException" or "PostgresException" or "SqliteException" =>
                ($"storage unavailable: {cause.Message}", ExitCodes.WorkFailed),
            // Not something a user caused: the whole trace, to report it.
            _ => ($"the host failed to start: {cause}", ExitCodes.WorkFailed),
        };
    }
}
