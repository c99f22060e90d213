using MlOpsOrchestrator.Security;
using Serilog.Core;
using Serilog.Events;

namespace MlOpsOrchestrator.Cli.Runtime;

/// <summary>
/// For the console only: adds <c>Failure</c>, the exception of an event in one line (type and message) and where its
/// stack trace is, or empty. The console templates print it instead of the exception, so a terminal never shows a
/// stack trace; the JSON log file keeps the whole exception.
/// </summary>
internal sealed class FailureSummaryEnricher : ILogEventEnricher
{
    public const string Property = "Failure";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(propertyFactory);
        var summary = "";
        if (logEvent.Exception is { } exception)
        {
            var message = FirstLine(exception.Message);
            var said = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(message, StringComparison.Ordinal);
            var what = said ? "" : exception is RedactedException ? $"{message}; " : $"{exception.GetType().Name}: {message}; ";
            summary = $" ({what}the stack trace is in the log file)";
        }

        logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty(Property, summary));
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
