using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.TestSupport;

/// <summary>One row of the metrics table in docs/operations.md: the metric, its type and the labels it is documented with.</summary>
public sealed record DocumentedMetric(string Name, string Type, IReadOnlyList<string> Labels)
{
    public bool IsHistogram => Type == "histogram";
}

/// <summary>
/// The "Dashboards and alerts" section of docs/operations.md, which operators copy into their monitoring stack: its
/// metrics table and its fenced blocks, so tests can hold the table to what <c>/metrics</c> serves and the example
/// rules to the table.
/// </summary>
public static partial class DocumentedMetrics
{
    public const string Heading = "## Dashboards and alerts";

    /// <summary>The section's text, from its heading to the next second-level heading.</summary>
    public static string Section()
    {
        var text = File.ReadAllText(RepositoryPaths.Combine("docs", "operations.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = text.IndexOf(Heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/operations.md has no '{Heading}' section");
        }

        var end = text.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    /// <summary>The rows of the section's metrics table, by metric name.</summary>
    public static IReadOnlyDictionary<string, DocumentedMetric> Table() =>
        Row().Matches(Section()).Select(m => new DocumentedMetric(
                m.Groups["name"].Value,
                m.Groups["type"].Value,
                [.. Regex.Matches(m.Groups["labels"].Value, "`([a-z_]+)`").Select(l => l.Groups[1].Value)]))
            .ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>The body of the fenced block whose first line is <paramref name="firstLine"/> (e.g. <c># prometheus.yml</c>).</summary>
    public static string Block(string firstLine)
    {
        var section = Section();
        var start = section.IndexOf("```yaml\n" + firstLine + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"no yaml block starting with '{firstLine}' under '{Heading}'");
        }

        start += "```yaml\n".Length;
        return section[start..section.IndexOf("\n```", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex(@"^\| `(?<name>mlops_[a-z_]+)` \| (?<type>counter|gauge|histogram) \| (?<labels>[^|]*) \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
