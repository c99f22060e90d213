using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Cli.Tests.Validation;

/// <summary>
/// One file of <c>Pipelines/invalid/</c>. Every file opens with a header that says what it gets wrong and what
/// <c>mlops validate</c> must print for it:
/// <code>
/// # mistake: one line describing the mistake in user terms
/// # expect: LINE:COL PATH: MESSAGE     (one line per expected error, in the order they are printed)
/// # schema: rejects|accepts            (whether a JSON Schema of the format can catch the mistake)
/// </code>
/// An expectation is the validator's line after <c>FILE:</c>, with <c>": error: "</c> shortened to one space.
/// Absolute paths in messages are written relative to the corpus folder: <c>{data-root}</c> is the folder itself
/// (the tests pass it as <c>--data-root</c>) and <c>{data-root}/../</c> its parent.
/// </summary>
internal sealed partial record CorpusFile(string Name, string FullPath, string Mistake, IReadOnlyList<string> Expected, string Schema)
{
    private const string MistakePrefix = "# mistake: ";
    private const string ExpectPrefix = "# expect: ";
    private const string SchemaPrefix = "# schema: ";

    /// <summary>The <c>${env:NAME}</c> variables the file uses; its tests run with them unset.</summary>
    public IReadOnlyList<string> EnvironmentVariables { get; init; } = [];

    [GeneratedRegex(@"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvReference();

    public static CorpusFile Read(string path)
    {
        var text = File.ReadAllText(path);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var name = Path.GetFileNameWithoutExtension(path);
        var problem = $"{name}.yaml must start with '{MistakePrefix}...', one or more '{ExpectPrefix}...' and '{SchemaPrefix}rejects|accepts'";
        if (lines.Count < 3 || !lines[0].StartsWith(MistakePrefix, StringComparison.Ordinal))
        {
            throw new FormatException(problem);
        }

        var expected = lines.Skip(1).TakeWhile(l => l.StartsWith(ExpectPrefix, StringComparison.Ordinal)).Select(l => l[ExpectPrefix.Length..]).ToList();
        var schemaLine = lines.ElementAtOrDefault(1 + expected.Count) ?? "";
        if (expected.Count == 0 || !schemaLine.StartsWith(SchemaPrefix, StringComparison.Ordinal))
        {
            throw new FormatException(problem);
        }

        return new CorpusFile(name, path, lines[0][MistakePrefix.Length..], expected, schemaLine[SchemaPrefix.Length..])
        {
            EnvironmentVariables = EnvReference().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList(),
        };
    }
}

/// <summary>The invalid corpus as the test run sees it: copied beside the test assembly by the project file.</summary>
internal static partial class InvalidCorpus
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Pipelines", "invalid");

    [GeneratedRegex(@"^(?<line>\d+):(?<column>\d+): error: (?<rest>.*)$")]
    private static partial Regex ErrorLine();

    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Folder, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static CorpusFile Load(string name) => CorpusFile.Read(Path.Combine(Folder, name + ".yaml"));

    /// <summary>
    /// stdout of <c>mlops validate FILE</c> in the corpus notation: <c>FILE:</c> stripped, <c>": error: "</c> shortened,
    /// absolute paths made relative to the corpus folder. A line that is not an error of <paramref name="file"/> is kept
    /// whole, so a comparison shows it.
    /// </summary>
    public static IReadOnlyList<string> ErrorLines(IEnumerable<string> stdoutLines, string file) =>
        stdoutLines.Select(line =>
        {
            var prefix = file + ":";
            var match = line.StartsWith(prefix, StringComparison.Ordinal) ? ErrorLine().Match(line[prefix.Length..]) : Match.Empty;
            return match.Success
                ? Relative($"{match.Groups["line"].Value}:{match.Groups["column"].Value} {match.Groups["rest"].Value}")
                : line;
        }).ToList();

    /// <summary>Absolute paths under the corpus folder (or beside it) written as <c>{data-root}</c> paths.</summary>
    public static string Relative(string text)
    {
        var parent = Path.GetDirectoryName(Folder)!;
        return text
            .Replace(Folder, "{data-root}", StringComparison.Ordinal)
            .Replace(parent + Path.DirectorySeparatorChar, "{data-root}/../", StringComparison.Ordinal);
    }
}
