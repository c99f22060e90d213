using Serilog.Core;
using Serilog.Events;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// Adds <c>RunTag</c>, <c>" [run-id step]"</c> on the events of a run and empty elsewhere, so the console template can
/// show the run without printing a placeholder on every other line.
/// </summary>
internal sealed class RunTagEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(propertyFactory);
        var tag = Text(logEvent, "RunId") is { } run
            ? Text(logEvent, "StepId") is { } step ? $" [{run} {step}]" : $" [{run}]"
            : "";
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("RunTag", tag));
    }

    private static string? Text(LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: string text } ? text : null;
}
