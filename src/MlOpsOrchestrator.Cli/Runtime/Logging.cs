using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace MlOpsOrchestrator.Cli.Runtime;

/// <summary>
/// Serilog, configured only here: compact JSON under <c>home/logs</c> for machines (every event of a run carries
/// RunId, Pipeline and StepId), and warnings on stderr for people (progress is printed separately), never with a stack trace: that is in the file.
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
                .Enrich.With<FailureSummaryEnricher>()
                .WriteTo.Console(restrictedToMinimumLevel: console, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture, outputTemplate: ConsoleTemplate))
            .CreateLogger();
        return new SerilogLoggerFactory(logger, dispose: true);
    }
}
