using System.Globalization;
using System.Text;

namespace MlOpsOrchestrator.Text;

/// <summary>
/// Bounds what a message repeats back to the user. A list of names or a value taken from user input (a CSV header,
/// a YAML scalar, a request field) can be megabytes long; a hint such as <c>valid: a, b, c</c> must stay a hint. Every
/// message that echoes a list or a user value goes through here, so no message grows with its input.
/// </summary>
public static class Echo
{
    /// <summary>Characters of a value shown before it is cut.</summary>
    public const int ValueChars = 80;

    /// <summary>Items of a list shown before the rest are counted.</summary>
    public const int ListItems = 20;

    /// <summary>
    /// <paramref name="value"/> as is when short, else its first <paramref name="max"/> characters and
    /// <c>… (N more characters)</c>. A surrogate pair is never split.
    /// </summary>
    public static string Value(string value, int max = ValueChars) =>
        value.Length <= max ? value : Value(value.AsSpan(), max);

    /// <inheritdoc cref="Value(string, int)"/>
    public static string Value(ReadOnlySpan<char> value, int max = ValueChars)
    {
        if (value.Length <= max)
        {
            return value.ToString();
        }

        var keep = max;
        if (keep > 0 && char.IsHighSurrogate(value[keep - 1]))
        {
            keep--;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value[..keep]}… ({value.Length - keep:N0} more characters)");
    }

    /// <summary>
    /// The items joined with <paramref name="separator"/>, each shortened by <see cref="Value(string, int)"/> and then
    /// passed through <paramref name="format"/> (e.g. to quote it); after <paramref name="max"/> items,
    /// <c>, ... (N more)</c>.
    /// </summary>
    public static string List(IEnumerable<string> items, Func<string, string>? format = null, int max = ListItems, string separator = ", ")
    {
        var text = new StringBuilder();
        var shown = 0;
        var more = 0L;
        foreach (var item in items)
        {
            if (shown == max)
            {
                more++;
                continue;
            }

            if (shown > 0)
            {
                text.Append(separator);
            }

            var value = Value(item);
            text.Append(format is null ? value : format(value));
            shown++;
        }

        if (more > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{separator}... ({more:N0} more)");
        }

        return text.ToString();
    }

    /// <summary>The items, each in single quotes: <c>'a', 'b', ... (N more)</c>.</summary>
    public static string Quoted(IEnumerable<string> items, int max = ListItems) => List(items, v => $"'{v}'", max);
}
