namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// A schedule the policy is compared with, on the same rows: <c>static</c> (one full run at the start, never again) or
/// <c>full:CRON</c> (a full run at every time of the Quartz cron expression).
/// </summary>
internal sealed record ReplayBaseline(string Name, string? Cron)
{
    public const string Static = "static";
    public const string FullPrefix = "full:";

    /// <summary>Reads <c>static</c> or <c>full:CRON</c>; null, with the problem, for anything else.</summary>
    public static ReplayBaseline? Parse(string text, Catalogs.ICronEvaluator cron, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(cron);
        problem = null;
        if (text == Static)
        {
            return new ReplayBaseline(Static, null);
        }

        if (text.StartsWith(FullPrefix, StringComparison.Ordinal))
        {
            var expression = text[FullPrefix.Length..].Trim();
            if (cron.Validate(expression) is { } invalid)
            {
                problem = $"--baseline '{text}': the cron expression is not valid: {invalid}";
                return null;
            }

            return new ReplayBaseline($"{FullPrefix}{expression}", expression);
        }

        problem = $"--baseline '{text}' is unknown; use 'static' or 'full:CRON' (e.g. full:0 0 2 * * ?, a full retrain every night at 02:00)";
        return null;
    }
}
