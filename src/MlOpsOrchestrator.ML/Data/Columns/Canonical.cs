using System.Text;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>The canonical row text behind the data hash: values separated by tabs, one row per line.</summary>
internal static class Canonical
{
    /// <summary>Appends <paramref name="value"/> with backslash, tab and newlines escaped, so no value can fake a separator.</summary>
    public static void Escape(string value, StringBuilder text)
    {
        if (value.AsSpan().IndexOfAny("\\\t\n\r") < 0)
        {
            text.Append(value);
            return;
        }

        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append("\\\\"),
                '\t' => text.Append("\\t"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                _ => text.Append(c),
            };
        }
    }
}
