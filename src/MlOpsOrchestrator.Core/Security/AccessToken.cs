namespace MlOpsOrchestrator.Security;

/// <summary>
/// A token the API and the dashboard accept, at its level. <see cref="Name"/> is who every action taken with it is
/// recorded as (<c>alice (token, 10.0.0.5, api)</c>); null for the unnamed <c>MLOPS_API_TOKEN</c> and
/// <c>MLOPS_VIEWER_TOKEN</c>, recorded as <c>token</c> and <c>viewer-token</c>.
/// </summary>
public sealed record AccessToken(string? Name, string Secret, AccessLevel Level)
{
    /// <summary>Tokens shorter than this are refused: a token is a password for the whole API.</summary>
    public const int MinLength = 8;

    /// <summary>Keeps the secret out of logs and exception messages.</summary>
    public override string ToString() => $"{Name ?? "(unnamed)"} ({Level})";

    /// <summary>
    /// The tokens of a <c>name:token,name:token</c> list (entries separated by commas, semicolons or whitespace; the
    /// name ends at the first colon, so a token may contain colons).
    /// </summary>
    /// <exception cref="FormatException">An entry has no name, no token, a token shorter than <see cref="MinLength"/>, or a name twice; the message names the variable and the entry's position, never the token.</exception>
    public static IReadOnlyList<AccessToken> Parse(string variable, string? value, AccessLevel level)
    {
        var problems = Problems(variable, value);
        if (problems.Count > 0)
        {
            throw new FormatException(string.Join("; ", problems));
        }

        return [.. Entries(value).Select(e => new AccessToken(e.Name, e.Secret, level))];
    }

    /// <summary>Every problem of a <c>name:token,...</c> list, for a start-up check that lists them all at once.</summary>
    public static IReadOnlyList<string> Problems(string variable, string? value)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var (name, secret) in Entries(value))
        {
            position++;
            if (name.Length == 0 || secret.Length == 0)
            {
                problems.Add($"{variable}: entry {position} is not 'name:token'");
            }
            else if (InputText.NameProblem(name) is { } nameProblem)
            {
                problems.Add($"{variable}: the name of entry {position} {nameProblem}");
            }
            else if (secret.Length < MinLength)
            {
                problems.Add($"{variable}: the token of '{name}' is shorter than {MinLength} characters");
            }
            else if (!seen.Add(name))
            {
                problems.Add($"{variable}: the name '{name}' is given twice");
            }
        }

        return problems;
    }

    private static IEnumerable<(string Name, string Secret)> Entries(string? value)
    {
        foreach (var entry in AccessPolicy.List(value))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            yield return colon < 0 ? ("", "") : (entry[..colon].Trim(), entry[(colon + 1)..].Trim());
        }
    }
}
