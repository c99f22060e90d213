using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Cli.Tests.Architecture;

/// <summary>
/// Which of the product's namespaces uses which, read from the sources: <c>using</c> directives (plain, static and
/// aliases) and names qualified with a namespace (<c>Hosting.MlOpsHostSettings</c> counts, constants included, which
/// compiled code no longer shows). Comments and string literals do not count. Types of a file's own enclosing
/// namespaces, which C# puts in scope without a directive, are not counted: a project's root namespace holds what
/// the whole project shares (<c>Storage.StorageSet</c>, <c>Cli.ExitCodes</c>).
/// </summary>
internal sealed partial class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph()
    {
    }

    /// <summary>Every edge as <c>from -&gt; to</c> with the first file that makes it.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Edges => _edges;

    /// <param name="files">Path (for messages) and text of every source file of the product.</param>
    public static NamespaceGraph FromSources(IReadOnlyList<(string Path, string Text)> files)
    {
        var parsed = files.Select(f => (f.Path, Namespace: NamespaceOf(f.Text), Code: StripCommentsAndStrings(f.Text))).Where(f => f.Namespace is not null).ToList();
        var namespaces = parsed.Select(f => f.Namespace!).ToHashSet(StringComparer.Ordinal);

        var graph = new NamespaceGraph();
        foreach (var (path, ns, code) in parsed)
        {
            foreach (var target in UsedNamespaces(ns!, code, namespaces))
            {
                if (target != ns)
                {
                    var from = graph._edges.TryGetValue(ns!, out var e) ? e : graph._edges[ns!] = new(StringComparer.Ordinal);
                    from.TryAdd(target, path);
                }
            }
        }

        return graph;
    }

    /// <summary>The groups of namespaces that reach each other (strongly connected, more than one), each with the edges inside it.</summary>
    public IReadOnlyList<string> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var cycles = new List<string>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in Targets(node))
            {
                if (!index.TryGetValue(next, out var seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var group = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    group.Add(member);
                }
                while (member != node);

                if (group.Count > 1)
                {
                    var inside = group.SelectMany(a => Targets(a).Where(group.Contains).Select(b => $"{a} -> {b} ({_edges[a][b]})")).Order(StringComparer.Ordinal);
                    cycles.Add(string.Join("; ", inside));
                }
            }
        }

        foreach (var node in _edges.Keys.Order(StringComparer.Ordinal).Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return cycles;
    }

    private IEnumerable<string> Targets(string node) =>
        _edges.TryGetValue(node, out var targets) ? targets.Keys.Order(StringComparer.Ordinal) : [];

    private static IEnumerable<string> UsedNamespaces(string ns, string code, HashSet<string> namespaces)
    {
        foreach (Match directive in UsingDirective().Matches(code))
        {
            var name = directive.Groups["name"].Value;
            var target = namespaces.Contains(name) ? name : Enclosing(name).FirstOrDefault(namespaces.Contains);
            if (target is not null)
            {
                yield return target;
            }
        }

        var body = Namespace().Replace(UsingDirective().Replace(code, string.Empty), string.Empty);
        var scopes = new[] { ns }.Concat(Enclosing(ns)).ToList();
        foreach (Match qualified in QualifiedName().Matches(body))
        {
            var parts = qualified.Value.Split('.');
            for (var length = parts.Length - 1; length > 0; length--)
            {
                var prefix = string.Join('.', parts.Take(length));
                var target = scopes.Select(s => $"{s}.{prefix}").Append(prefix).FirstOrDefault(namespaces.Contains);
                if (target is not null)
                {
                    yield return target;
                    break;
                }
            }
        }
    }

    /// <summary><c>A.B.C</c> gives <c>A.B</c>, then <c>A</c>.</summary>
    private static IEnumerable<string> Enclosing(string name)
    {
        for (var dot = name.LastIndexOf('.'); dot > 0; dot = name.LastIndexOf('.', dot - 1))
        {
            yield return name[..dot];
        }
    }

    private static string? NamespaceOf(string text) => Namespace().Match(text) is { Success: true } m ? m.Groups["name"].Value : null;

    private static string StripCommentsAndStrings(string text) => CommentOrString().Replace(text, m => m.Value[0] switch { '/' => " ", '\'' => "' '", _ => "\"\"" });

    [GeneratedRegex(@"^namespace\s+(?<name>[\w.]+)\s*[;{]", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?<name>[\w.]+)(?:<[^;]*>)?\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*(?:\.[A-Z]\w*)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"'(?:[^'\\\n]|\\.)+'|//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
