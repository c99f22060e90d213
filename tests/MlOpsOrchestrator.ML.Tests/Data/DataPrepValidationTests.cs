using System.Globalization;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>Bad data fails the step with every problem listed, each naming its column and its row or line.</summary>
[TestFixture]
public sealed class DataPrepValidationTests
{
    private DataPrepHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new DataPrepHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    private static string Weather(string schema = "", string prep = "", string train = "task: regression\ntrainer: fast_tree", string label = "label") =>
        DataPrepHarness.Pipeline($"source: {{ type: csv, path: d.csv }}\ntimestamp: ts\nlabel: {label}\n{schema}", prep, train);

    [Test]
    public async Task Execute_ValueOfWrongType_NamesRowLineAndColumn()
    {
        _harness.Write("d.csv", "ts,temp,city,label\n2024-01-01,1,Oslo,1\n2024-01-02,abc,Oslo,2\n2024-01-03,3,Lima,3\n");
        var message = await _harness.FailAsync(Weather("schema:\n  temp: { type: float }"));

        Assert.That(message, Does.Contain("row 2 (line 3), column 'temp': 'abc' is not a number"));
    }

    [Test]
    public async Task Execute_SeveralProblems_ListsEveryOneOnItsOwnLine()
    {
        _harness.Write("d.csv", "ts,temp,city,label\n2024-01-01,1,Oslo,1\nsoon,2,Oslo,2\n2024-01-03,72.5,Lima,3\n2024-01-04,x,Lima,y\n");
        var message = await _harness.FailAsync(Weather("schema:\n  temp: { type: float, range: [-30, 50] }"));

        var lines = message.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("the data has 4 problems (d.csv)"));
            Assert.That(lines, Has.Some.Contains("row 2 (line 3), column 'ts': 'soon' is not a date"));
            Assert.That(lines, Has.Some.EqualTo("row 3 (line 4), column 'temp': 72.5 is above the maximum 50"));
            Assert.That(lines, Has.Some.EqualTo("row 4 (line 5), column 'temp': 'x' is not a number"));
            Assert.That(lines, Has.Some.EqualTo("row 4 (line 5), column 'label': 'y' is not a number"));
        });
    }

    [TestCase("temp: { type: float, min: 0 }", "-5", "-5 is below the minimum 0")]
    [TestCase("temp: { type: int }", "1.5", "'1.5' is not a whole number")]
    [TestCase("temp: { type: boolean }", "maybe", "'maybe' is not a boolean")]
    [TestCase("temp: { type: datetime }", "01/02/2024", "'01/02/2024' is not a date")]
    public async Task Execute_DeclaredTypeViolated_NamesValue(string schema, string value, string expected)
    {
        _harness.Write("d.csv", $"ts,temp,city,label\n2024-01-01,1,Oslo,1\n2024-01-02,{value},Oslo,2\n");
        var message = await _harness.FailAsync(Weather($"schema:\n  {schema}"));

        Assert.That(message, Does.Contain($"row 2 (line 3), column 'temp': {expected}"));
    }

    [Test]
    public async Task Execute_LabelColumnGoneFromData_FailsNamingIt()
    {
        _harness.Write("d.csv", SampleCsv.Weather(20));
        var definition = _harness.Load(Weather());
        _harness.Write("d.csv", SampleCsv.Weather(20).Replace("ts,temp,city,label", "ts,temp,city,target", StringComparison.Ordinal));

        var outcome = await _harness.RunAsync(definition);

        Assert.That(outcome.Message, Does.Contain("the label column 'label' is not in d.csv (its columns: 'ts', 'temp', 'city', 'target')"));
    }

    [Test]
    public async Task Execute_FileGoneAfterLoading_FailsNamingIt()
    {
        _harness.Write("d.csv", SampleCsv.Weather(20));
        var definition = _harness.Load(Weather());
        File.Delete(Path.Combine(_harness.DataRoot, "d.csv"));

        var outcome = await _harness.RunAsync(definition);

        Assert.That(outcome.Message, Does.Contain("cannot read d.csv"));
    }

    [Test]
    public async Task Execute_FileMissingOnThisNode_NamesTheNodeThePathAndTheWaysOut()
    {
        _harness.Write("d.csv", SampleCsv.Weather(20));
        var definition = _harness.Load(Weather());
        var path = Path.Combine(_harness.DataRoot, "d.csv");
        File.Delete(path);

        var outcome = await _harness.RunAsync(definition);

        Assert.That(outcome.Message, Does.Contain($"the file {path} does not exist on node {Environment.MachineName}")
            .And.Contain("same path").And.Contain("'postgres' source"));
    }

    [Test]
    public async Task Execute_EmptyFile_Fails()
    {
        _harness.Write("d.csv", "");
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\nlabel: label"));

        Assert.That(message, Does.Contain("d.csv is empty"));
    }

    [Test]
    public async Task Execute_HeaderOnly_FailsWithNoRows()
    {
        _harness.Write("d.csv", "ts,temp,city,label\n\n");
        var message = await _harness.FailAsync(Weather());

        Assert.That(message, Does.Contain("d.csv has no data rows"));
    }

    [Test]
    public async Task Execute_AllMissingColumn_FailsNamingIt()
    {
        _harness.Write("d.csv", SampleCsv.Of("ts,temp,city,label", 10, i => $"{SampleCsv.Hour(i)},?,Oslo,{i}"));
        var message = await _harness.FailAsync(Weather("schema:\n  temp: { type: float, missing: mean }"));

        Assert.That(message, Does.Contain("column 'temp' has no values: it is missing in all 10 rows read"));
    }

    [Test]
    public async Task Execute_MissingUnderFail_ListsTheFirstRows()
    {
        _harness.Write("d.csv", SampleCsv.Of("ts,temp,city,label", 20, i => $"{SampleCsv.Hour(i)},{(i % 3 == 1 ? "" : "5")},Oslo,{i}"));
        var message = await _harness.FailAsync(Weather());

        Assert.That(message, Does.Contain(
            "column 'temp': 7 missing values (rows 2, 5, 8, 11, 14, … (lines 3, 6, 9, 12, 15, …)); set 'missing: drop' in data.schema.temp to drop those rows, or 'missing: mean' or 'zero' to impute them"));
    }

    [Test]
    public async Task Execute_MissingLabel_CannotBeImputed()
    {
        _harness.Write("d.csv", SampleCsv.Of("ts,temp,city,label", 10, i => $"{SampleCsv.Hour(i)},{i},Oslo,{(i == 4 ? "?" : "1")}"));
        var message = await _harness.FailAsync(Weather("schema:\n  label: { type: float, missing: mean }"));

        Assert.That(message, Does.Contain("the label 'label' has 1 missing value (row 5 (line 6)); a label cannot be imputed"));
    }

    [Test]
    public async Task Execute_WrongFieldCount_NamesRowAndCounts()
    {
        _harness.Write("d.csv", "ts,temp,city,label\n2024-01-01,1,Oslo,1\n2024-01-02,2,Oslo\n2024-01-03,3,Lima,3\n");
        var message = await _harness.FailAsync(Weather());

        Assert.That(message, Does.Contain("row 2 (line 3): 3 fields, but the header has 4"));
    }

    [Test]
    public async Task Execute_ThousandsOfBadValues_MessageIsCapped()
    {
        _harness.Write("d.csv", SampleCsv.Of("a,b,c,d,e,f,g,label", 5000, i => $"x,x,x,x,x,x,x,{i}"));
        var schema = "schema:\n" + string.Join("\n", "abcdefg".Select(c => $"  {c}: {{ type: float }}"));
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline($"source: {{ type: csv, path: d.csv }}\nlabel: label\n{schema}"));

        var lines = message.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("the data has 35,000 problems (d.csv):"));
            Assert.That(lines, Has.Length.EqualTo(1 + 20 + 1));
            Assert.That(lines[1], Is.EqualTo("row 1 (line 2), column 'a': 'x' is not a number"));
            Assert.That(lines[4], Is.EqualTo("… and 4,997 more bad values in column 'a'"));
            Assert.That(lines[^1], Is.EqualTo("… and 8 more"));
        });
    }

    [Test]
    public async Task Execute_BinaryLabelWithOneClass_Fails()
    {
        _harness.Write("d.csv", SampleCsv.Of("x,label", 30, i => $"{i},0"));
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: label", train: "task: binary\ntrainer: fast_tree"));

        Assert.That(message, Does.Contain("the label 'label' has only one class ('0') in 30 rows; classification needs at least two"));
    }

    [Test]
    public async Task Execute_MulticlassLabelWithOneClass_Fails()
    {
        _harness.Write("d.csv", SampleCsv.Of("x,label", 30, i => $"{i},setosa"));
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: label", train: "task: multiclass\ntrainer: light_gbm"));

        Assert.That(message, Does.Contain("the label 'label' has only one class ('setosa')"));
    }

    [Test]
    public async Task Execute_BinaryLabelWithThreeClassesAndNoPositive_Fails()
    {
        _harness.Write("d.csv", SampleCsv.Of("x,label", 30, i => $"{i},{(i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c")}"));
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: label", train: "task: binary\ntrainer: fast_tree"));

        Assert.That(message, Does.Contain("the binary label 'label' has 3 classes ('a', 'b', 'c'); binary needs two, or name the positive class with 'positive:' in data.schema.label"));
    }

    [Test]
    public async Task Execute_BinaryLabelStringsWithoutPositive_AsksForIt()
    {
        _harness.Write("d.csv", SampleCsv.Of("x,label", 30, i => $"{i},{(i % 2 == 0 ? "yes" : "no")}"));
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: label", train: "task: binary\ntrainer: fast_tree"));

        Assert.That(message, Does.Contain("holds 'yes', 'no', not 0/1 or true/false; name the positive class with 'positive:'"));
    }

    [Test]
    public async Task Execute_PositiveClassAbsent_Fails()
    {
        _harness.Write("d.csv", SampleCsv.Of("x,label", 30, i => $"{i},{(i % 2 == 0 ? "yes" : "no")}"));
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: label\nschema:\n  label: { type: categorical, positive: \"Yes\" }",
            train: "task: binary\ntrainer: fast_tree"));

        Assert.That(message, Does.Contain("the positive class 'Yes' never appears in the label 'label' (its values: 'yes', 'no')"));
    }

    [Test]
    public async Task Execute_NumericBinaryLabelOutsideZeroOne_Fails()
    {
        _harness.Write("d.csv", SampleCsv.Of("x,label", 30, i => string.Create(CultureInfo.InvariantCulture, $"{i},{i % 3}")));
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: label", train: "task: binary\ntrainer: fast_tree"));

        Assert.That(message, Does.Contain("the binary label 'label' has 3 classes ('0', '1', '2')"));
    }

    [Test]
    public async Task Execute_MulticlassValueOutsideListedClasses_NamesRow()
    {
        _harness.Write("d.csv", "x,label\n1,a\n2,b\n3,z\n4,a\n");
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: label\nschema:\n  label: { type: categorical, classes: [a, b] }",
            train: "task: multiclass\ntrainer: light_gbm"));

        Assert.That(message, Does.Contain("row 3 (line 4), column 'label': 'z' is not one of the classes listed in 'classes:' (a, b)"));
    }

    [Test]
    public async Task Execute_PositiveClassAndTestLabelSpelledDifferently_Fails()
    {
        _harness.Write("d.csv", SampleCsv.Of("x,label", 30, i => $"{i},{(i % 2 == 0 ? "1" : "0")}"));
        _harness.Write("t.csv", SampleCsv.Of("x,label", 10, i => $"{i},{(i % 2 == 0 ? "1." : "0")}"));
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\ntest_source: { type: csv, path: t.csv }\nlabel: label\nschema:\n  label: { type: categorical, positive: \"1\" }",
            train: "task: binary\ntrainer: fast_tree"));

        Assert.That(message, Does.Contain("test_source: the binary label 'label' holds '1.', which the training rows never hold"));
    }

    [Test]
    public async Task Execute_TestSourceLacksAColumn_Fails()
    {
        _harness.Write("d.csv", SampleCsv.Weather(20));
        _harness.Write("t.csv", "ts,temp,label\n2024-05-01,1,3\n");
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\ntest_source: { type: csv, path: t.csv }\ntimestamp: ts\nlabel: label"));

        Assert.That(message, Does.Contain("test_source: t.csv lacks the columns 'city' of the source"));
    }

    [Test]
    public async Task Execute_BadValueInTestSource_SaysTestSource()
    {
        _harness.Write("d.csv", SampleCsv.Weather(20));
        _harness.Write("t.csv", "ts,temp,city,label\n2024-05-01,1,Oslo,3\n2024-05-02,warm,Oslo,3\n");
        var message = await _harness.FailAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\ntest_source: { type: csv, path: t.csv }\ntimestamp: ts\nlabel: label"));

        Assert.That(message, Does.Contain("test_source row 2 (line 3), column 'temp': 'warm' is not a number"));
    }

    [Test]
    public async Task Execute_IncrementalWithoutTimestamp_Fails()
    {
        _harness.Write("d.csv", SampleCsv.Weather(20));
        var outcome = await _harness.RunAsync(DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\nlabel: label"), Specs.RunMode.Incremental);

        Assert.That(outcome.Message, Does.Contain("mode: incremental needs 'data.timestamp'"));
    }
}
