using System.Globalization;
using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Security;

/// <summary>
/// The one rule for text that arrives from outside (the API's JSON, query strings and route values, the dashboard's
/// forms, the CLI's options) before anything stores, logs or compares it: valid Unicode (no lone UTF-16 surrogate),
/// no NUL (PostgreSQL refuses it in text) and no other control character except tab and line breaks where a value may
/// span lines, and a bounded length. A name (a parameter, an alias) is also non-empty and made of letters, digits,
/// '.', '_' and '-'. Each check returns what is wrong, phrased to follow the field's name, or null when the text is fine.
/// </summary>
public static partial class InputText
{
    /// <summary>The longest name: a parameter, an alias, a pipeline, model, run or step in a path or query.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The longest one-line value: who decided, a query value, a route value.</summary>
    public const int MaxLineLength = 200;

    /// <summary>The longest free text: a rejection's reason.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The longest value of a run parameter.</summary>
    public const int MaxParameterValueLength = 1000;

    /// <summary>What is wrong with one line of text (no line breaks), or null.</summary>
    /// <param name="value">The text.</param>
    /// <param name="maxLength">The most characters it may have.</param>
    /// <param name="decoded">
    /// True for text the web server decoded from a URL or a form, where bytes that are not UTF-8 have become U+FFFD:
    /// that character is then refused too, since the client sent something other than UTF-8.
    /// </param>
    public static string? LineProblem(ReadOnlySpan<char> value, int maxLength = MaxLineLength, bool decoded = false) =>
        Problem(value, maxLength, multiline: false, decoded);

    /// <summary>What is wrong with free text that may hold tabs and line breaks, or null (<paramref name="decoded"/> as for <see cref="LineProblem"/>).</summary>
    public static string? TextProblem(ReadOnlySpan<char> value, int maxLength, bool decoded = false) => Problem(value, maxLength, multiline: true, decoded);

    /// <summary>What is wrong with a name, or null.</summary>
    public static string? NameProblem(ReadOnlySpan<char> value, int maxLength = MaxNameLength)
    {
        if (value.IsEmpty)
        {
            return "is empty; give a name made of letters, digits, '.', '_' and '-'";
        }

        if (LineProblem(value, maxLength) is { } problem)
        {
            return problem;
        }

        return NamePattern().IsMatch(value)
            ? null
            : $"is not a valid name: use letters, digits, '.', '_' and '-', starting with a letter or digit (at most {maxLength} characters)";
    }

    private static string? Problem(ReadOnlySpan<char> value, int maxLength, bool multiline, bool decoded)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return $"is not valid Unicode: a lone surrogate {Code(c)} at character {i + 1}; send the text as UTF-8";
            }

            if (decoded && c == '\uFFFD')
            {
                return $"is not valid UTF-8 (bytes that are not UTF-8 at character {i + 1}); percent-encode the text as UTF-8";
            }

            if (c == '\0')
            {
                return $"contains a NUL character (U+0000) at character {i + 1}; remove it";
            }

            if (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r'))
            {
                return $"contains the control character {Code(c)} at character {i + 1}; remove it{(multiline ? "" : " (line breaks and tabs are not allowed here)")}";
            }
        }

        return value.Length > maxLength ? $"is {value.Length} characters long; at most {maxLength} are allowed" : null;
    }

    private static string Code(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
