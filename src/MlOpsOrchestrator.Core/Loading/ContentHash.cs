using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// The pipeline version: SHA-256 over a canonical form of the YAML tree (keys sorted, comments, layout and quoting
/// style dropped, <c>${env:…}</c> references kept unresolved so a secret never influences or leaks into it).
/// </summary>
internal static class ContentHash
{
    public static string Compute(YNode root)
    {
        var canonical = new StringBuilder();
        Write(root, canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    private static void Write(YNode node, StringBuilder output)
    {
        switch (node)
        {
            case YScalar scalar:
                var text = scalar.Original ?? scalar.Value;
                output.Append('"').Append(text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                break;
            case YSequence sequence:
                output.Append('[');
                foreach (var item in sequence.Items)
                {
                    Write(item, output);
                    output.Append(',');
                }

                output.Append(']');
                break;
            case YMapping mapping:
                output.Append('{');
                foreach (var (key, value) in mapping.Entries.OrderBy(e => e.Key.Value, StringComparer.Ordinal))
                {
                    output.Append(key.Value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(key.Value).Append('=');
                    Write(value, output);
                    output.Append(',');
                }

                output.Append('}');
                break;
        }
    }
}
