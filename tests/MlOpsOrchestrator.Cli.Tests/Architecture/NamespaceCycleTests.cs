using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Architecture;

/// <summary>
/// Dependencies between the product's namespaces go one way: Planning may use Specs, the composition root
/// (<c>Cli.Hosting</c>) may use the API, never the reverse. A cycle means two namespaces can only be understood,
/// changed and moved together; this finds the first one when it is written.
/// </summary>
[TestFixture]
public sealed class NamespaceCycleTests
{
    [Test]
    public void ProductNamespaces_HaveNoCycle()
    {
        var src = RepositoryPaths.Combine("src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsGenerated(Path.GetRelativePath(src, f)))
            .Select(f => (Path: Path.GetRelativePath(src, f).Replace('\\', '/'), Text: File.ReadAllText(f)))
            .ToList();

        var graph = NamespaceGraph.FromSources(files);

        Assert.Multiple(() =>
        {
            Assert.That(graph.Edges, Has.Count.GreaterThan(20), "the scan reads the product's namespaces");
            Assert.That(graph.Cycles(), Is.Empty);
        });
    }

    [TestCase("using A.B;", "A.C")]
    [TestCase("using static A.B.Helpers;", "A.C")]
    [TestCase("using Alias = A.B.Thing;", "A.C")]
    [TestCase("", "A.C", "B.Thing.Go();")]
    [TestCase("", "A.C", "var x = A.B.Thing.Value;")]
    public void Cycles_FoundWhateverWayTheReverseDependencyIsWritten(string directive, string ns, string code = "")
    {
        var files = new List<(string, string)>
        {
            ("B/Thing.cs", $"using {ns};\n\nnamespace A.B;\n\ninternal sealed class Thing {{ X y; }}\ninternal static class Helpers {{ }}\n"),
            ("C/X.cs", $"{directive}\n\nnamespace {ns};\n\ninternal sealed class X\n{{\n    void M() {{ {code} }}\n}}\n"),
        };

        var cycles = NamespaceGraph.FromSources(files).Cycles();

        Assert.That(cycles, Has.Count.EqualTo(1));
        Assert.That(cycles[0], Does.Contain($"{ns} -> A.B").And.Contain($"A.B -> {ns}"));
    }

    [TestCase("// using A.B; B.Thing.Go();")]
    [TestCase("var s = \"A.B.Thing\";")]
    [TestCase("var c = '\"'; var s = \"B.Thing\";")]
    public void Cycles_NoneFromCommentsOrStrings(string code)
    {
        var files = new List<(string, string)>
        {
            ("B/Thing.cs", "using A.C;\n\nnamespace A.B;\n\ninternal sealed class Thing { X y; }\n"),
            ("C/X.cs", $"namespace A.C;\n\ninternal sealed class X\n{{\n    void M() {{ {code} }}\n}}\n"),
        };

        Assert.That(NamespaceGraph.FromSources(files).Cycles(), Is.Empty);
    }

    private static bool IsGenerated(string relative) =>
        relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(p => p is "bin" or "obj");
}
