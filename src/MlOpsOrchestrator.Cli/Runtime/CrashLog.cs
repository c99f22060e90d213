using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace MlOpsOrchestrator.Cli.Runtime;

/// <summary>
/// Where a command's unexpected exception is kept: the JSON log under the command's home (<c>--home</c>, else
/// <c>MLOPS_HOME</c>, else <c>./.mlops</c>), so the terminal gets one line and the stack trace stays on record.
/// </summary>
internal static class CrashLog
{
    /// <returns>The log folder written to, or null when there is none to write to.</returns>
    public static string? Write(ParseResult parse, Exception exception)
    {
        try
        {
            var home = RuntimeSettings.Resolve(HomeOption(parse), null, null).Home;
            var logs = Path.Combine(home, "logs");
            Directory.CreateDirectory(logs);
            using var loggers = Logging.Create(home, Serilog.Events.LogEventLevel.Fatal);
            loggers.CreateLogger("mlops").LogError(exception, "mlops {Command} failed", parse.CommandResult.Command.Name);
            return logs;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static string? HomeOption(ParseResult parse) =>
        parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--home") is Option<string?> home ? parse.GetValue(home) : null;
}
