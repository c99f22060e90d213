namespace MlOpsOrchestrator.Security;

/// <summary>
/// What a log sink gets instead of an exception whose text may quote a secret: the same type name, message, inner
/// exceptions and stack trace, as text, with every substituted value redacted.
/// </summary>
public sealed class RedactedException : Exception
{
    private readonly string _text;
    private readonly string? _stackTrace;

    public RedactedException()
        : this("an exception whose text was redacted")
    {
    }

    public RedactedException(string message)
        : base(message)
    {
        _text = message;
    }

    public RedactedException(string message, Exception innerException)
        : base(message, innerException)
    {
        _text = message;
    }

    internal RedactedException(Exception original, SecretRedactor redactor)
        : base($"{original.GetType().FullName}: {redactor.Redact(original.Message)}")
    {
        _text = redactor.Redact(original.ToString()) ?? "";
        _stackTrace = redactor.Redact(original.StackTrace);
        HResult = original.HResult;
    }

    public override string? StackTrace => _stackTrace ?? base.StackTrace;

    public override string ToString() => _text;
}
