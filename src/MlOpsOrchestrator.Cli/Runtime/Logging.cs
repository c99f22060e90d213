using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace MlOpsOrchestrator.Cli.Runtime;

/// <summary>
/// Serilog, configured only here: compact JSON under <c>home/logs</c> for machines (every event of a run carries
/// RunId, Pipeline and StepId), and warnings on stderr for people (progress is printed separately, and what it prints is not logged there again), never with a stack trace: that is in the file.
/// </summary>
internal static class Logging
{
    /// <summary>An exception is shown in one line (<see cref="FailureSummaryEnricher"/>); its stack trace goes to the file only.</summary>
    public const string ConsoleTemplate = "{Level:u3} {Message:lj}{Failure}{NewLine}";

    public static ILoggerFactory Create(string home, LogEventLevel console = LogEventLevel.Warning)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(home, "logs", "mlops-.json"), rollingInterval: RollingInterval.Day, shared: true)
            .WriteTo.Logger(terminal => terminal
                .Filter.ByExcluding(IsShownAsProgress)
                .Enrich.With<FailureSummaryEnricher>()
                .WriteTo.Console(restrictedToMinimumLevel: console, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture, outputTemplate: ConsoleTemplate))
            .CreateLogger();
        return new SerilogLoggerFactory(logger, dispose: true);
    }

    private static readonly HashSet<string> ShownAsProgress = new(StringComparer.Ordinal)
    {
        RunExecutor.StepThrew.Name!, RunExecutor.StepFailed.Name!, RunExecutor.RunFailed.Name!,
    };

    /// <summary>
    /// A step that threw or failed, a run that failed: the command's progress and summary lines (<c>[step] failed in …:
    /// message</c>) already say so once, without the run id a one-run command need not repeat; the file keeps the event
    /// (and a stack trace).
    /// </summary>
    private static bool IsShownAsProgress(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue eventId
        && eventId.Properties.Any(p => p.Name == "Name" && p.Value is ScalarValue { Value: string name } && ShownAsProgress.Contains(name));
}
