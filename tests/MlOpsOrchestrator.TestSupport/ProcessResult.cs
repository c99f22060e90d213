namespace MlOpsOrchestrator.TestSupport;

/// <summary>What a finished command printed, kept whole so a failure message can show it.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public string Describe() =>
        $"`{Command}` exited with {ExitCode}.{Section("stdout", StandardOutput)}{Section("stderr", StandardError)}";

    private static string Section(string title, string text) =>
        string.IsNullOrWhiteSpace(text) ? string.Empty : $"{Environment.NewLine}--- {title} ---{Environment.NewLine}{text.TrimEnd()}";
}
