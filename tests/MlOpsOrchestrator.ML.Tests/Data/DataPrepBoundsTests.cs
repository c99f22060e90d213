using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>A file's own text (a header name, a value) can be megabytes long; the step's message stays a few KB.</summary>
[TestFixture]
public sealed class DataPrepBoundsTests
{
    private const int FewKilobytes = 4096;

    private DataPrepHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new DataPrepHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task Execute_HugeHeaderNameTwice_MessageShowsItsStartOnly()
    {
        var name = new string('n', 5_000_000);
        _harness.Write("d.csv", $"ts,{name},{name},label\n2024-01-01,1,2,3\n");

        var message = await _harness.FailAsync(Pipeline());

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain("the header names 'nnnn").And.Contain("(4,999,920 more characters)' more than once"));
            Assert.That(message, Has.Length.LessThan(FewKilobytes));
        });
    }

    [Test]
    public async Task Execute_HugeBadValues_EachShownShort()
    {
        var value = new string('x', 2_000_000);
        _harness.Write("d.csv", $"ts,temp,label\n2024-01-01,{value},1\n2024-01-02,{value},2\n2024-01-03,3,{value}\n");

        var message = await _harness.FailAsync(Pipeline("schema:\n  temp: { type: float }"));

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain("row 1 (line 2), column 'temp': 'xxxx").And.Contain("(1,999,960 more characters)' is not a number"));
            Assert.That(message, Has.Length.LessThan(FewKilobytes));
        });
    }

    [Test]
    public async Task Execute_HugeColumnNameInEveryProblem_EachLineBounded()
    {
        var (a, b) = (new string('a', 3_000_000), new string('b', 3_000_000));
        _harness.Write("d.csv", $"ts,{a},{b},label\n2024-01-01,,,1\n2024-01-02,,,2\n2024-01-03,,,3\n");

        var message = await _harness.FailAsync(Pipeline());

        Assert.Multiple(() =>
        {
            Assert.That(message.Split('\n'), Has.Length.GreaterThan(2), message);
            Assert.That(message, Does.Contain("more characters"));
            Assert.That(message, Has.Length.LessThan(FewKilobytes));
        });
    }

    private static string Pipeline(string schema = "") =>
        DataPrepHarness.Pipeline($"source: {{ type: csv, path: d.csv }}\ntimestamp: ts\nlabel: label\n{schema}");
}
