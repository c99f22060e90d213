using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>Data paths stay inside the data root however they are written (spec "Rules"). Uses real symbolic links.</summary>
[TestFixture]
public sealed class PathResolverTests
{
    private TempDirectory _temp = null!;
    private string _root = null!;
    private string _outside = null!;
    private string _yaml = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _root = Directory.CreateDirectory(_temp.Combine("root")).FullName;
        _outside = Directory.CreateDirectory(_temp.Combine("outside")).FullName;
        _temp.Write("root/data/rides.csv", "a,b\n");
        _temp.Write("outside/secret.csv", "a,b\n");
        _yaml = _temp.Write("root/pipelines/rides.yaml", "version: 1\n");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Resolve_RelativeInsideRoot_AbsolutePathFromTheYamlFolder()
    {
        var resolved = PathResolver.Resolve(_yaml, "../data/rides.csv", _root, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(resolved, Is.EqualTo(Path.Combine(_root, "data", "rides.csv")));
        });
    }

    [Test]
    public void Resolve_AbsoluteInsideRoot_Accepted()
    {
        var resolved = PathResolver.Resolve(_yaml, Path.Combine(_root, "data", "rides.csv"), _root, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(resolved, Is.EqualTo(Path.Combine(_root, "data", "rides.csv")));
        });
    }

    [Test]
    public void Resolve_DataRootWithTrailingSeparator_Accepted()
    {
        var resolved = PathResolver.Resolve(_yaml, "../data/rides.csv", _root + Path.DirectorySeparatorChar, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(resolved, Is.Not.Null);
        });
    }

    [TestCase("../../outside/secret.csv")]
    [TestCase("../data/../../outside/secret.csv")]
    [TestCase("../../root-sibling.csv")]
    public void Resolve_DotDotOutOfTheRoot_Rejected(string relative)
    {
        var resolved = PathResolver.Resolve(_yaml, relative, _root, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(resolved, Is.Null);
            Assert.That(problem, Does.Contain("outside the data root"));
        });
    }

    [Test]
    public void Resolve_SiblingFolderSharingTheRootPrefix_Rejected()
    {
        Directory.CreateDirectory(_temp.Combine("root2"));
        var sibling = _temp.Write("root2/rides.csv", "a\n");

        var resolved = PathResolver.Resolve(_yaml, sibling, _root, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(resolved, Is.Null);
            Assert.That(problem, Does.Contain("outside the data root"));
        });
    }

    [Test]
    public void Resolve_AbsoluteOutsideRoot_Rejected()
    {
        var resolved = PathResolver.Resolve(_yaml, Path.Combine(_outside, "secret.csv"), _root, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(resolved, Is.Null);
            Assert.That(problem, Does.Contain("outside the data root"));
        });
    }

    [Test]
    public void Resolve_FileSymlinkInsideRootPointingOutside_Rejected()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "data", "link.csv"), Path.Combine(_outside, "secret.csv"));

        var resolved = PathResolver.Resolve(_yaml, "../data/link.csv", _root, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(resolved, Is.Null);
            Assert.That(problem, Does.Contain("symbolic link"));
        });
    }

    [Test]
    public void Resolve_RelativeFileSymlinkPointingOutside_Rejected()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "data", "link.csv"), "../../outside/secret.csv");

        var resolved = PathResolver.Resolve(_yaml, "../data/link.csv", _root, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(resolved, Is.Null);
            Assert.That(problem, Does.Contain("symbolic link"));
        });
    }

    [Test]
    public void Resolve_FolderSymlinkInsideRootPointingOutside_Rejected()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "data", "elsewhere"), _outside);

        var resolved = PathResolver.Resolve(_yaml, "../data/elsewhere/secret.csv", _root, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(resolved, Is.Null);
            Assert.That(problem, Does.Contain("symbolic link"));
        });
    }

    [Test]
    public void Resolve_SymlinkChainEndingOutside_Rejected()
    {
        File.CreateSymbolicLink(Path.Combine(_outside, "hop.csv"), Path.Combine(_outside, "secret.csv"));
        File.CreateSymbolicLink(Path.Combine(_root, "data", "inner.csv"), Path.Combine(_root, "data", "hop.csv"));
        File.CreateSymbolicLink(Path.Combine(_root, "data", "hop.csv"), Path.Combine(_outside, "hop.csv"));

        var resolved = PathResolver.Resolve(_yaml, "../data/inner.csv", _root, out var problem);

        Assert.That(resolved, Is.Null, problem);
    }

    [Test]
    public void Resolve_SymlinkInsideRootPointingInside_Accepted()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "data", "latest.csv"), Path.Combine(_root, "data", "rides.csv"));

        var resolved = PathResolver.Resolve(_yaml, "../data/latest.csv", _root, out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(resolved, Is.EqualTo(Path.Combine(_root, "data", "latest.csv")));
        });
    }

    [Test]
    public void Resolve_DataRootItselfASymlink_Accepted()
    {
        var linkedRoot = _temp.Combine("linked-root");
        Directory.CreateSymbolicLink(linkedRoot, _root);
        var yamlThroughLink = Path.Combine(linkedRoot, "pipelines", "rides.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(PathResolver.Resolve(yamlThroughLink, "../data/rides.csv", linkedRoot, out var problem), Is.Not.Null, problem);
            Assert.That(PathResolver.Resolve(_yaml, "../data/rides.csv", linkedRoot, out var viaRealPath), Is.Not.Null, viaRealPath);
            Assert.That(PathResolver.Resolve(yamlThroughLink, "../../outside/secret.csv", linkedRoot, out _), Is.Null);
        });
    }

    [Test]
    public void Resolve_SymlinkLoop_RejectedInsteadOfThrowing()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "data", "ping.csv"), Path.Combine(_root, "data", "pong.csv"));
        File.CreateSymbolicLink(Path.Combine(_root, "data", "pong.csv"), Path.Combine(_root, "data", "ping.csv"));

        string? problem = null;
        Assert.That(() => PathResolver.Resolve(_yaml, "../data/ping.csv", _root, out problem), Throws.Nothing);
        Assert.That(problem, Is.Not.Null);
    }

    [Test]
    public void Resolve_NulCharacter_RejectedInsteadOfThrowing()
    {
        string? problem = null;
        Assert.That(() => PathResolver.Resolve(_yaml, "../data/rides\0.csv", _root, out problem), Throws.Nothing);
        Assert.That(problem, Is.Not.Null);
    }
}
