using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>
/// <c>ReadFile</c> returns the text it loaded the definition from, so a run stores exactly the YAML that runs
/// (<c>mlops run FILE</c> reads the file once).
/// </summary>
public sealed partial class PipelineLoaderTests
{
    [Test]
    public void ReadFile_ReturnsTheTextTheDefinitionWasLoadedFrom()
    {
        var yaml = SampleYaml.Minimal + "# the copy that runs\n";
        var path = _workspace.Write("read-once.yaml", yaml);

        var (result, text) = _workspace.Loader.ReadFile(path);

        Assert.Multiple(() =>
        {
            Assert.That(result.Definition, Is.Not.Null, string.Join("; ", result.Errors));
            Assert.That(text, Is.EqualTo(yaml));
            Assert.That(result.Definition!.Version, Is.EqualTo(_workspace.Loader.Parse(yaml, path).Definition!.Version));
        });
    }

    [Test]
    public void ReadFile_AFileThatCannotBeRead_NoTextAndTheErrorSaysSo()
    {
        var (result, text) = _workspace.Loader.ReadFile(Path.Combine(_workspace.Root, "missing.yaml"), "missing.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.Null);
            Assert.That(result.Definition, Is.Null);
            Assert.That(result.Errors.Single().ToString(), Does.StartWith("missing.yaml:1:1").And.Contain("cannot read the file"));
        });
    }
}
