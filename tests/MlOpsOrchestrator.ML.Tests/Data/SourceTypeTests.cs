using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>
/// Adding a source type is one class and one registration: data_prep reads a type the product does not know through
/// the registered reader, with the same typing, checks and messages as a CSV file.
/// </summary>
[TestFixture]
public sealed class SourceTypeTests
{
    private static readonly string[] Columns = ["x", "city", "y"];

    private static string Yaml => DataPrepHarness.Pipeline(
        """
        source: {type: csv, path: rows.csv}
        label: y
        """,
        "split: {test_fraction: 0.25, seed: 1}");

    [Test]
    public async Task A_registered_source_type_is_read_by_data_prep_like_any_other()
    {
        var rows = Enumerable.Range(0, 40)
            .Select(i => new[] { i.ToString(CultureInfo.InvariantCulture), i % 2 == 0 ? "Oslo" : "Lima, PE", (i * 2).ToString(CultureInfo.InvariantCulture) })
            .ToArray();
        var memory = new MemorySourceReader(Columns, rows);
        using var harness = new DataPrepHarness { Sources = new SourceReaders([new CsvSourceReader(), memory]) };
        // The CSV the pipeline names has other rows: the prepared data must come from the memory source.
        harness.Write("rows.csv", "x,city,y\n1,Oslo,2\n");

        var outcome = await harness.RunAsync(InMemory(harness.Load(Yaml)));

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Succeeded), outcome.Message);
        Assert.That(outcome.Message, Does.Contain("prepared 40 rows from the memory table"));
        Assert.That(memory.Opened, Is.EqualTo(1));
        var prepared = harness.Prepared(outcome);
        var labels = DataViewReader.Column<float>(prepared.Train, "y").Concat(DataViewReader.Column<float>(prepared.Test, "y"));
        Assert.That(labels.Order(), Is.EqualTo(Enumerable.Range(0, 40).Select(i => (float)(i * 2))));
        Assert.That(DataViewReader.Strings(prepared.Train, "city").Distinct().Order(), Is.EqualTo(new[] { "Lima, PE", "Oslo" }));
    }

    [Test]
    public async Task A_bad_value_of_a_registered_source_type_is_reported_by_row_without_a_line()
    {
        var rows = Enumerable.Range(0, 20)
            .Select(i => new[] { i == 7 ? "seven" : i.ToString(CultureInfo.InvariantCulture), "Oslo", (i * 2).ToString(CultureInfo.InvariantCulture) })
            .ToArray();
        var yaml = DataPrepHarness.Pipeline(
            """
            source: {type: csv, path: rows.csv}
            label: y
            schema:
              x: {type: float}
            """);
        using var harness = new DataPrepHarness { Sources = new SourceReaders([new CsvSourceReader(), new MemorySourceReader(Columns, rows)]) };
        harness.Write("rows.csv", "x,city,y\n1,Oslo,2\n");

        var outcome = await harness.RunAsync(InMemory(harness.Load(yaml)));

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed), outcome.Message);
        Assert.That(outcome.Message, Does.Contain("(the memory table)"));
        Assert.That(outcome.Message, Does.Contain("row 8, column 'x'"));
        Assert.That(outcome.Message, Does.Not.Contain("line"));
    }

    [Test]
    public async Task A_source_type_without_a_registered_reader_fails_the_step_naming_the_registered_ones()
    {
        using var harness = new DataPrepHarness();
        harness.Write("rows.csv", "x,city,y\n1,Oslo,2\n");

        var outcome = await harness.RunAsync(InMemory(harness.Load(Yaml)));

        Assert.That(outcome.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("no reader for source type 'memory' is registered in this host (registered: csv, postgres)"));
    }

    [Test]
    public void Two_readers_for_one_type_are_refused_when_the_registry_is_built()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new SourceReaders([new CsvSourceReader(), new CsvSourceReader()]));
        Assert.That(error!.Message, Does.Contain("type 'csv'"));
    }

    /// <summary>The loaded pipeline with its source switched to the memory type (the YAML loader knows only its own types).</summary>
    private static PipelineDefinition InMemory(PipelineDefinition definition) => definition with
    {
        Spec = definition.Spec with
        {
            Data = definition.Spec.Data with { Source = definition.Spec.Data.Source with { Type = MemorySourceReader.TypeName } },
        },
    };
}
