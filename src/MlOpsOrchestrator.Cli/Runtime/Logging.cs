using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace MlOpsOrchestrator.Cli.Runtime;

/// <summary>
/// Serilog, configured only here: compact JSON under <c>home/logs</c> for machines (every event of a run carries
/// RunId, Pipeline and StepId), and warnings on stderr for people (progress is printed separately).
/// </summary>
internal static class Logging
{
    public static ILoggerFactory Create(string home, LogEventLevel console = LogEventLevel.Warning)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(home, "logs", "mlops-.json"), rollingInterval: RollingInterval.Day, shared: true)
            .WriteTo.Console(restrictedToMinimumLevel: console, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture, outputTemplate: "{Level:u3} {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        return new SerilogLoggerFactory(logger, dispose: true);
    }
}
