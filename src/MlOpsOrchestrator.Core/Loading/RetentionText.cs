using System.Globalization;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// The host-wide default retention as an environment variable writes it, with the keys of <c>retention:</c>:
/// <c>keep_versions=20,keep_aliased_for=90d,keep_runs_for=30d</c> (any subset; the rest keep their defaults).
/// </summary>
public static class RetentionText
{
    /// <summary>The retention <paramref name="text"/> says, or null with <paramref name="problem"/> saying what to write instead.</summary>
    public static RetentionSpec? Parse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = RetentionSpec.Default;
        foreach (var part in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = part.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (part[..eq].Trim(), part[(eq + 1)..].Trim()) : (part, "");
            switch (key)
            {
                case "keep_versions" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100_000:
                    spec = spec with { KeepVersions = n };
                    break;
                case "keep_aliased_for" when Durations.Parse(value) is { } aliased:
                    spec = spec with { KeepAliasedFor = aliased };
                    break;
                case "keep_runs_for" when Durations.Parse(value) is { } history:
                    spec = spec with { KeepRunsFor = history };
                    break;
                default:
                    problem = $"'{part}' is not a retention setting; write keep_versions=N (1 to 100000), keep_aliased_for=DURATION or keep_runs_for=DURATION (e.g. 90d), separated by ','";
                    return null;
            }
        }

        problem = null;
        return spec;
    }
}
