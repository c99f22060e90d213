using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>CSV quirks end to end: what the prepared data holds after the executor read the file.</summary>
[TestFixture]
public sealed class DataPrepParsingTests
{
    private DataPrepHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new DataPrepHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task Execute_NoHeader_NamesColumnsByPosition()
    {
        _harness.Write("d.csv", SampleCsv.Of("1,a,2.5", 9, i => $"{i},{(i % 2 == 0 ? "a" : "b")},{i}.5"));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv, header: false }\nlabel: column_2"));

        var prepared = _harness.Prepared(outcome);
        Assert.Multiple(() =>
        {
            Assert.That(prepared.Schema.Columns.Select(c => c.Name), Is.EqualTo(new[] { "column_0", "column_1", "column_2" }));
            Assert.That(outcome.Prep().Rows, Is.EqualTo(10), "the first line is data, not a header");
        });
    }

    [Test]
    public async Task Execute_NoHeaderAndSchemaNamesEveryColumn_UsesSchemaNames()
    {
        _harness.Write("d.csv", SampleCsv.Of("1;a;2.5", 9, i => $"{i};{(i % 2 == 0 ? "a" : "b")};{i}.5"));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: d.csv, header: false, separator: ";" }
            label: y
            schema:
              id: { type: ignore }
              kind: { type: categorical }
              y: { type: float }
            """));

        Assert.That(_harness.Prepared(outcome).Schema.Columns.Select(c => c.Name), Is.EqualTo(new[] { "kind", "y" }));
    }

    [Test]
    public async Task Execute_QuotedFields_KeepCommasQuotesAndNewlines()
    {
        _harness.Write("d.csv", "note,y\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\nplain,4\n,5\n");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            "source: { type: csv, path: d.csv }\nlabel: y\nschema:\n  note: { type: text }",
            prep: "split: { test_fraction: 0.2, seed: 1 }"));

        var prepared = _harness.Prepared(outcome);
        var notes = DataViewReader.Strings(prepared.Train, "note").Concat(DataViewReader.Strings(prepared.Test, "note"));
        Assert.That(notes, Is.EquivalentTo(new[] { "a, b", "say \"hi\"", "two\nlines", "plain", "" }));
    }

    [Test]
    public async Task Execute_BomPaddingQuestionMarksBlankLinesNoFinalNewline_AllHandled()
    {
        _harness.Write("d.csv", "\uFEFFage, city, y\n30, Oslo, 1\n40, ?, 2\n?, Lima, 3\n50, Lima, 4\n60, Oslo, 5\n\n\n   \n70, Pune, 6");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: d.csv }
            label: y
            schema:
              age: { missing: mean }
              city: { missing: zero }
            """,
            prep: "split: { test_fraction: 0.01 }"));

        var prepared = _harness.Prepared(outcome);
        var ages = DataViewReader.Column<float>(prepared.Train, "age").Concat(DataViewReader.Column<float>(prepared.Test, "age")).ToList();
        var cities = DataViewReader.Strings(prepared.Train, "city").Concat(DataViewReader.Strings(prepared.Test, "city")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(6));
            Assert.That(prepared.Schema.Columns.Select(c => c.Name), Is.EqualTo(new[] { "age", "city", "y" }));
            Assert.That(ages.Count(float.IsNaN), Is.EqualTo(1), "'?' is a missing number, kept as NaN for the model to impute");
            Assert.That(cities.Count(c => c.Length == 0), Is.EqualTo(1), "a missing category under 'missing: zero' is the empty category");
            Assert.That(cities, Does.Not.Contain(" Oslo").And.Not.Contain("?"));
        });
    }

    [Test]
    public async Task Execute_UndeclaredColumns_InferredTypesInSchema()
    {
        _harness.Write("d.csv", SampleCsv.Of("n,x,flag,when,kind,comment,y", 100, i =>
            $"{i},{i}.5,{(i % 2 == 0 ? "true" : "false")},2024-02-{(i % 28) + 1:00},{(i % 4 == 0 ? "red" : "blue")},free text number {i},{i}"));
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline("source: { type: csv, path: d.csv }\nlabel: y"));

        var types = _harness.Prepared(outcome).Schema.Columns.ToDictionary(c => c.Name, c => c.Type);
        Assert.That(types, Is.EqualTo(new Dictionary<string, ColumnType>
        {
            ["n"] = ColumnType.Int,
            ["x"] = ColumnType.Float,
            ["flag"] = ColumnType.Boolean,
            ["when"] = ColumnType.Datetime,
            ["kind"] = ColumnType.Categorical,
            ["comment"] = ColumnType.Text,
            ["y"] = ColumnType.Int,
        }));
    }

    [Test]
    public async Task Execute_Roles_FeaturesAreTheUnionOfTrainSteps()
    {
        _harness.Write("d.csv", SampleCsv.Weather(50).Replace("ts,temp,city,label", "ts,temp,city,label", StringComparison.Ordinal));
        var yaml = $"""
            version: 1
            name: roles
            data:
              source: {"{"} type: csv, path: d.csv {"}"}
              timestamp: ts
              label: label
            steps:
              - id: prep
                kind: data_prep
              - id: a
                kind: train
                needs: [prep]
                task: regression
                trainer: sdca
                features: [temp]
              - id: b
                kind: train
                needs: [prep]
                task: regression
                trainer: fast_tree
                features: [temp]
            """;
        var outcome = await _harness.SucceedAsync(yaml);

        var roles = _harness.Prepared(outcome).Schema.Columns.ToDictionary(c => c.Name, c => c.Role);
        Assert.That(roles, Is.EqualTo(new Dictionary<string, ColumnRole>
        {
            ["ts"] = ColumnRole.Timestamp,
            ["temp"] = ColumnRole.Feature,
            ["city"] = ColumnRole.Ignored,
            ["label"] = ColumnRole.Label,
        }));
    }
}
