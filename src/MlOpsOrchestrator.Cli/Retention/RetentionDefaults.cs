using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Retention;

/// <summary>The retention of pipelines without <c>retention:</c>: <c>MLOPS_RETENTION</c>, else the built-in defaults.</summary>
internal static class RetentionDefaults
{
    public const string Variable = "MLOPS_RETENTION";

    public static RetentionSpec FromEnvironment(Func<string, string?> variable, out string? problem)
    {
        problem = null;
        if (variable(Variable) is not { Length: > 0 } text)
        {
            return RetentionSpec.Default;
        }

        var spec = RetentionText.Parse(text, out var why);
        problem = why is null ? null : $"{Variable}: {why}";
        return spec ?? RetentionSpec.Default;
    }
}
