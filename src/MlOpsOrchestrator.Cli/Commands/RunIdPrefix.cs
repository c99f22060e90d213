using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// A run id as people type it: the whole id, or the start of one as with a git commit. A start that fits several runs
/// is refused with the runs it fits (bounded), so a command never acts on a run the person did not mean.
/// </summary>
internal static class RunIdPrefix
{
    /// <summary>The run <paramref name="typed"/> names; null after saying on stderr why none or which several.</summary>
    public static async Task<string?> ResolveAsync(CliContext context, MlOpsRuntime runtime, string typed, CancellationToken ct)
    {
        if (await runtime.Storage.Runs.GetAsync(typed, ct) is not null)
        {
            return typed;
        }

        var matches = typed.Length == 0 ? [] : await runtime.Storage.Runs.FindIdsAsync(typed, Echo.ListItems + 1, ct);
        switch (matches.Count)
        {
            case 0:
                await context.Error.WriteLineAsync($"error: unknown run '{Echo.Value(typed)}'; 'mlops runs' lists the runs");
                return null;
            case 1:
                return matches[0];
            default:
                var count = matches.Count > Echo.ListItems ? $"more than {Echo.ListItems} runs" : $"{matches.Count} runs";
                var listed = Echo.List(matches.Take(Echo.ListItems)) + (matches.Count > Echo.ListItems ? ", ..." : "");
                await context.Error.WriteLineAsync($"error: '{Echo.Value(typed)}' is the start of {count}: {listed}; type more of the run id");
                return null;
        }
    }
}
