using System.CommandLine;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// Opens the runtime for a command, runs it, and turns the errors a user can cause (unknown run, wrong state, bad
/// connection string) into a message and exit code 2, and a home or artifact file it cannot write into a message and
/// exit code 1, instead of a stack trace (kept in the log file).
/// </summary>
internal static class RuntimeAction
{
    public static void Set(Command command, CliContext context, StateLocationOptions storage, Func<ParseResult, MlOpsRuntime, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            MlOpsRuntime? runtime = null;
            try
            {
                runtime = await MlOpsRuntime.OpenAsync(storage.Resolve(parse), context.Time, ct);
                return await action(parse, runtime, ct);
            }
            catch (RunControlException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }
            catch (ArgumentException ex) when (ex.Message.Contains("connection string", StringComparison.OrdinalIgnoreCase) || ex.Source == "Npgsql")
            {
                await context.Error.WriteLineAsync($"error: invalid PostgreSQL connection string: {ex.Message}");
                return ExitCodes.BadInput;
            }
            catch (Exception ex) when (ex.GetType().Name is "NpgsqlException" or "SqliteException" or "PostgresException")
            {
                await context.Error.WriteLineAsync($"error: storage unavailable: {ex.Message}");
                return ExitCodes.WorkFailed;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The home folder, the embedded database or the artifacts could not be written: say which, not how.
                Log(runtime, ex, parse);
                await context.Error.WriteLineAsync(ex is ArtifactWriteException
                    ? $"error: {ex.Message}"
                    : $"error: {ex.Message.TrimEnd('.')}; check that MLOPS_HOME (or --home) is a folder this process can write to, on a disk with free space");
                return ExitCodes.WorkFailed;
            }
            finally
            {
                if (runtime is not null)
                {
                    await runtime.DisposeAsync();
                }
            }
        });

    private static void Log(MlOpsRuntime? runtime, Exception exception, ParseResult parse) =>
        runtime?.Loggers.CreateLogger("mlops").LogError(exception, "mlops {Command} failed", parse.CommandResult.Command.Name);
}
