using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Execution;

/// <summary>A run's live progress with every value that came from the environment redacted (the CLI prints it as is).</summary>
internal sealed class RedactingProgress(IProgress<RunProgress> inner, SecretRedactor redactor) : IProgress<RunProgress>
{
    public void Report(RunProgress value) => inner.Report(value with { Message = redactor.Redact(value.Message)! });
}
