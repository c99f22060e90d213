using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

/// <summary>Keeps every log event of a test host (warnings and errors are also echoed to the test output).</summary>
internal sealed class CapturedLogs(string node) : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public string Node => node;

    public IReadOnlyList<LogEvent> Events => [.. _events];

    /// <summary>Events of one message template, e.g. <c>"{Action} pipeline {Pipeline} trigger {Trigger}: ..."</c> by its start.</summary>
    public IReadOnlyList<LogEvent> Matching(string templateStart) =>
        Events.Where(e => e.Template.StartsWith(templateStart, StringComparison.Ordinal)).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    internal sealed record LogEvent(DateTimeOffset At, string Category, LogLevel Level, string Template, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception)
    {
        public string? this[string property] => Properties.TryGetValue(property, out var value) ? value?.ToString() : null;
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var properties = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            var values = properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var template = values.GetValueOrDefault("{OriginalFormat}") as string ?? "";
            var message = formatter(state, exception);
            owner._events.Enqueue(new LogEvent(DateTimeOffset.UtcNow, category, logLevel, template, message, values, exception));
            if (logLevel >= LogLevel.Warning)
            {
                TestContext.Progress.WriteLine($"[{owner.Node} {logLevel}] {category}: {message}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            }
        }
    }
}
