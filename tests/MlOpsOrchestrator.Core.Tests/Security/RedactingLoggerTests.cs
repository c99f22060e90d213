using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Security;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Security;

/// <summary>What reaches a log provider through the redacting logger: message, properties and exception, all scrubbed.</summary>
public sealed class RedactingLoggerTests
{
    private const string Secret = "wh_secret_db_7f3k";

    private CapturingLogger _inner = null!;
    private ILogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _inner = new CapturingLogger();
        _logger = new RedactingLogger(_inner, new SecretRedactor([new("WAREHOUSE_DB", Secret)]));
    }

    [Test]
    public void Log_SecretInAProperty_MessageAndPropertyRedactedTemplateKept()
    {
        _logger.LogInformation("Step {StepId} failed: {Error}", "prep", $"database \"{Secret}\" does not exist");

        var entry = _inner.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Message, Is.EqualTo("Step prep failed: database \"(value of ${env:WAREHOUSE_DB})\" does not exist"));
            Assert.That(entry.Properties["Error"], Is.EqualTo("database \"(value of ${env:WAREHOUSE_DB})\" does not exist"));
            Assert.That(entry.Properties["{OriginalFormat}"], Is.EqualTo("Step {StepId} failed: {Error}"));
        });
    }

    [Test]
    public void Log_SecretInTheException_TextAndStackTraceRedacted()
    {
        var thrown = Throw(new InvalidOperationException($"3D000: database \"{Secret}\" does not exist"));

        _logger.LogError(thrown, "Step {StepId} threw", "prep");

        var exception = _inner.Entries.Single().Exception!;
        Assert.Multiple(() =>
        {
            Assert.That(exception.ToString(), Does.Not.Contain(Secret).And.Contain("(value of ${env:WAREHOUSE_DB})"));
            Assert.That(exception.ToString(), Does.Contain("InvalidOperationException").And.Contain("   at "), "the stack trace is kept for the log file");
            Assert.That(exception.Message, Does.Not.Contain(Secret));
        });
    }

    [Test]
    public void Log_SecretInAnInterpolatedTemplate_TemplateDroppedMessageRedacted()
    {
#pragma warning disable CA2254 // The point of the test: a template that is not constant.
        _logger.LogWarning($"cannot open {Secret}");
#pragma warning restore CA2254

        var entry = _inner.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Message, Is.EqualTo("cannot open (value of ${env:WAREHOUSE_DB})"));
            Assert.That(entry.Properties.ContainsKey("{OriginalFormat}"), Is.False);
        });
    }

    private static Exception Throw(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private sealed record Entry(string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);

    /// <summary>A provider's view of each event: its rendered message, its structured properties and its exception.</summary>
    private sealed class CapturingLogger : ILogger
    {
        public List<Entry> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
            Entries.Add(new Entry(formatter(state, exception), properties, exception));
        }
    }
}
