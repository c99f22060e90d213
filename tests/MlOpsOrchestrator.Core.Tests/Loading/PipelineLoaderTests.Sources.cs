using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Tests.Catalogs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>
/// The keys of <c>data.source</c> come from the source readers' descriptions (<see cref="SourceKeys"/>): the built-in
/// csv and postgres types report what they always did, and a source type a host registers is accepted with its own
/// keys and no others.
/// </summary>
public sealed partial class PipelineLoaderTests
{
    private static readonly SourceKeys Memory = new("memory", ["query"], ["separator"]);

    [TestCase("{ type: csv, path: data/churn.csv, query: select 1 }", "data.source.query", "'query' does not apply to a csv source; remove it or change 'type'")]
    [TestCase("{ type: csv, path: data/churn.csv, connection: c }", "data.source.connection", "'connection' does not apply to a csv source; remove it or change 'type'")]
    [TestCase("{ type: postgres, connection: c, query: q, path: data/churn.csv }", "data.source.path", "'path' does not apply to a postgres source; remove it or change 'type'")]
    [TestCase("{ type: postgres, connection: c, query: q, separator: ';' }", "data.source.separator", "'separator' does not apply to a postgres source; remove it or change 'type'")]
    [TestCase("{ type: postgres, connection: c, query: q, header: false }", "data.source.header", "'header' does not apply to a postgres source; remove it or change 'type'")]
    [TestCase("{ type: csv }", "data.source.path", "missing required key 'path' in 'data.source'")]
    [TestCase("{ type: postgres, query: q }", "data.source.connection", "missing required key 'connection' in 'data.source'")]
    [TestCase("{ type: postgres, connection: c }", "data.source.query", "missing required key 'query' in 'data.source'")]
    public void LoadFile_BuiltInSourceTypes_KeysCheckedAsAlways(string source, string path, string message)
    {
        var errors = _workspace.Load(Churn(source)).Errors;

        Assert.That(errors.Select(e => (e.Path, e.Message)), Is.EqualTo(new[] { (path, message) }));
    }

    [Test]
    public void LoadFile_MistypedSourceKey_UnknownWithTheNearestKeyOfAnyType()
    {
        var errors = _workspace.Load(Churn("{ type: postgres, connection: c, qeury: q }")).Errors.Select(e => e.Message).ToList();

        Assert.That(errors, Is.EquivalentTo(new[] { "unknown key 'qeury' in 'data.source'; did you mean 'query'?", "missing required key 'query' in 'data.source'" }));
    }

    [Test]
    public void LoadFile_UnknownSourceType_ListsTheBuiltInTypes()
    {
        var errors = _workspace.Load(Churn("{ type: parquet, path: data/churn.csv }")).Errors.Select(e => e.Message).ToList();

        Assert.That(errors, Has.Some.Contains("'parquet'").And.Some.Contains("csv").And.Some.Contains("postgres"));
    }

    [Test]
    public void LoadFile_RegisteredSourceType_ItsKeysAccepted()
    {
        _workspace.Sources = [Memory];

        var result = _workspace.Load(Churn("{ type: memory, query: all rows, separator: ';' }"));

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Definition!.Spec.Data.Source, Has.Property("Type").EqualTo("memory").And.Property("Query").EqualTo("all rows").And.Property("Separator").EqualTo(';'));
    }

    [Test]
    public void LoadFile_RegisteredSourceType_RequiredKeyMissing()
    {
        _workspace.Sources = [Memory];

        var errors = _workspace.Load(Churn("{ type: memory }")).Errors;

        Assert.That(errors.Select(e => (e.Path, e.Message)), Is.EqualTo(new[] { ("data.source.query", "missing required key 'query' in 'data.source'") }));
    }

    [TestCase("{ type: memory, query: q, path: data/churn.csv }", "unknown key 'path' in 'data.source'")]
    [TestCase("{ type: memory, query: q, connection: c }", "unknown key 'connection' in 'data.source'")]
    [TestCase("{ type: csv, path: data/churn.csv }", "'csv'")]
    public void LoadFile_OnlyARegisteredSourceType_OtherKeysAndTypesRejected(string source, string expected)
    {
        _workspace.Sources = [Memory];

        var errors = _workspace.Load(Churn(source)).Errors.Select(e => e.Message).ToList();

        Assert.That(errors, Has.Some.Contains(expected));
    }

    [Test]
    public void LoadFile_RegisteredBesideTheBuiltIn_EachTypeTakesOnlyItsOwnKeys()
    {
        _workspace.Sources = [.. SourceKeys.BuiltIn, Memory];

        var memory = _workspace.Load(Churn("{ type: memory, query: q, path: data/churn.csv }")).Errors.Select(e => e.Message);
        var csv = _workspace.Load(Churn("{ type: csv, path: data/churn.csv, header: true }")).Errors;

        Assert.That(memory, Is.EqualTo(new[] { "'path' does not apply to a memory source; remove it or change 'type'" }));
        Assert.That(csv, Is.Empty);
    }

    [Test]
    public void Constructor_SourceKeyTheLoaderCannotRead_Rejected()
    {
        var options = new PipelineLoaderOptions { Sources = [new SourceKeys("table", ["table_name"], [])] };

        Assert.That(() => new PipelineLoader(options, FakeTrainerCatalog.Instance, new FakeCronEvaluator()),
            Throws.ArgumentException.With.Message.Contains("'table_name'"));
    }
}
