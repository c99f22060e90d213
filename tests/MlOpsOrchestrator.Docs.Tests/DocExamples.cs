using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Docs.Tests;

/// <summary>What a <c>```text</c> block right after an example says the CLI prints for it.</summary>
/// <param name="Command">The command shown on the block's first line, e.g. <c>mlops plan level-2.yaml</c>.</param>
/// <param name="File">The file the command names.</param>
/// <param name="Output">The lines after the command line.</param>
public sealed record ShownOutput(string Command, string File, IReadOnlyList<string> Output);

/// <summary>
/// A <c>```yaml</c> example of docs/pipeline-yaml.md. Valid examples are the blocks whose first line that is not a
/// comment is <c>version: 1</c>. Invalid examples are the blocks right after a line
/// <c>&lt;!-- invalid example; schema: rejects|accepts --&gt;</c> (invisible when rendered).
/// </summary>
public sealed record DocExample(int Line, string Yaml, bool Invalid, string? SchemaVerdict, ShownOutput? Shown)
{
    /// <summary>The file name the example is written under: the one its output block names, else one made from the line.</summary>
    public string FileName => Shown?.File ?? $"example-line-{Line}.yaml";

    public override string ToString() => $"docs/pipeline-yaml.md:{Line}";
}

internal static partial class DocExamples
{
    [GeneratedRegex(@"^<!--\s*invalid example;\s*schema:\s*(rejects|accepts)\s*-->\s*$")]
    private static partial Regex InvalidMarker();

    [GeneratedRegex(@"^\$ (mlops (?:validate|plan) (?:--[a-z-]+ )*(\S+\.ya?ml))$")]
    private static partial Regex CommandLine();

    public static IReadOnlyList<DocExample> Parse(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var examples = new List<DocExample>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```yaml")
            {
                continue;
            }

            var start = i;
            var body = Block(lines, ref i);
            var marker = start > 0 ? InvalidMarker().Match(lines[start - 1].Trim()) : Match.Empty;
            var firstContent = body.FirstOrDefault(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
            if (!marker.Success && firstContent != "version: 1")
            {
                continue;
            }

            var shown = NextOutput(lines, ref i);
            examples.Add(new DocExample(
                start + 2,
                string.Join('\n', body) + "\n",
                marker.Success,
                marker.Success ? marker.Groups[1].Value : null,
                shown));
        }

        return examples;
    }

    /// <summary>The lines of the fenced block opening at <paramref name="i"/>; leaves <paramref name="i"/> on the closing fence.</summary>
    private static List<string> Block(string[] lines, ref int i)
    {
        var body = new List<string>();
        for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
        {
            body.Add(lines[i]);
        }

        return body;
    }

    /// <summary>A <c>```text</c> block that follows the example (only blank lines between) and starts with <c>$ mlops ...</c>.</summary>
    private static ShownOutput? NextOutput(string[] lines, ref int i)
    {
        var next = i + 1;
        while (next < lines.Length && lines[next].Trim().Length == 0)
        {
            next++;
        }

        if (next >= lines.Length || lines[next].Trim() != "```text")
        {
            return null;
        }

        var body = Block(lines, ref next);
        var command = body.Count > 0 ? CommandLine().Match(body[0]) : Match.Empty;
        if (!command.Success)
        {
            return null;
        }

        i = next;
        return new ShownOutput(command.Groups[1].Value, command.Groups[2].Value, body.Skip(1).ToList());
    }
}
