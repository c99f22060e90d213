namespace MlOpsOrchestrator.Runs;

/// <summary>The snake_case words statuses have in JSON, the CLI and the stores.</summary>
public static class StatusNames
{
    public static string Of(RunStatus status) => Snake(status.ToString());

    public static string Of(StepStatus status) => Snake(status.ToString());

    public static RunStatus ParseRun(string text) => Enum.Parse<RunStatus>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    public static StepStatus ParseStep(string text) => Enum.Parse<StepStatus>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
}
