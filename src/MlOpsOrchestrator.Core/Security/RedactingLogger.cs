using System.Globalization;
using Microsoft.Extensions.Logging;

namespace MlOpsOrchestrator.Security;

/// <summary>
/// A logger that passes every event through a <see cref="SecretRedactor"/> before the host's sinks see it: the
/// rendered message, each structured property and the exception (message and stack trace text) alike, so a JSON log
/// file holds no value that came from the environment, whatever a step or a driver put into its message.
/// </summary>
internal sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var message = redactor.Redact(formatter(state, exception)) ?? "";
        var properties = new List<KeyValuePair<string, object?>>();
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                if (key == OriginalFormat)
                {
                    // A template holding a secret (an interpolated one) is dropped: the redacted message stands alone.
                    if (value is string template && redactor.Redact(template) == template)
                    {
                        properties.Add(new(key, template));
                    }

                    continue;
                }

                properties.Add(new(key, Redact(value)));
            }
        }

        var redacted = exception is null ? null : new RedactedException(exception, redactor);
        inner.Log(logLevel, eventId, new RedactedState(properties, message), redacted, static (s, _) => s.Message);
    }

    private object? Redact(object? value) => value switch
    {
        null => null,
        string text => redactor.Redact(text),
        bool or char or Enum or TimeSpan or DateTime or DateTimeOffset or Guid => value,
        IFormattable when value.GetType().IsPrimitive || value is decimal => value,
        _ => redactor.Redact(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>The event's properties as the logging providers read them; <see cref="ToString"/> is the redacted message.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> properties, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => properties.Count;

        public KeyValuePair<string, object?> this[int index] => properties[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => properties.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}
