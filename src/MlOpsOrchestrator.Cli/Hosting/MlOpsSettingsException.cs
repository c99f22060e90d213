namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>Host settings that cannot work; <see cref="Problems"/> lists every one of them (exit code 2).</summary>
internal sealed class MlOpsSettingsException : Exception
{
    public MlOpsSettingsException()
        : this([])
    {
    }

    public MlOpsSettingsException(string message)
        : this([message])
    {
    }

    public MlOpsSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public MlOpsSettingsException(IReadOnlyList<string> problems)
        : base(problems.Count == 0 ? "invalid settings" : string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
