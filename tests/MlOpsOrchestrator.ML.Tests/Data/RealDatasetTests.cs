using System.Diagnostics;
using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.TestSupport;
using MlOpsOrchestrator.ML.Tests.Support;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>The real public datasets, with their real quirks, prepare without error and with the known row counts.</summary>
[TestFixture]
public sealed class RealDatasetTests
{
    private DataPrepHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new DataPrepHarness(RealData.Root);

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task Adult_PaddedFieldsAndQuestionMarks_DropLeavesKohavisRows()
    {
        RealData.Require("adult/adult.txt");
        RealData.Require("adult/adult.test");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: adult/adult.txt }
            test_source: { type: csv, path: adult/adult.test }
            label: label(IsOver50K)
            schema:
              workclass: { type: categorical, missing: drop }
              occupation: { type: categorical, missing: drop }
              native-country: { type: categorical, missing: drop }
              fnlwgt: { type: ignore }
            """,
            train: "task: binary\ntrainer: fast_tree"));

        var prepared = _harness.Prepared(outcome);
        var testLabels = DataViewReader.Column<bool>(prepared.Test, "label(IsOver50K)");
        Assert.Multiple(() =>
        {
            // UCI adult.names: 30,162 train and 15,060 test rows remain after removing rows with unknowns.
            Assert.That(outcome.Prep().TrainRows, Is.EqualTo(30162));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(15060));
            Assert.That(outcome.Metrics["rows_dropped"], Is.EqualTo(32561 - 30162));
            Assert.That(DataViewReader.TypeOf(prepared.Train, "label(IsOver50K)").RawType, Is.EqualTo(typeof(bool)));
            Assert.That(prepared.Schema.Columns.Select(c => c.Name), Does.Contain("workclass").And.Not.Contain("fnlwgt"));
            Assert.That(DataViewReader.Strings(prepared.Train, "workclass").Distinct(), Does.Contain("State-gov").And.Not.Contain("?"));
            // adult.test's positive label is "1." — a number, 1.
            Assert.That(testLabels.Count(l => l), Is.GreaterThan(3000));
        });
    }

    [Test]
    public async Task Adult_MissingKeptAsCategory_AllRows()
    {
        RealData.Require("adult/adult.txt");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: adult/adult.txt }
            label: label(IsOver50K)
            schema:
              workclass: { type: categorical, missing: zero }
              occupation: { type: categorical, missing: zero }
              native-country: { type: categorical, missing: zero }
            """,
            prep: "split: { test_fraction: 0.25, seed: 7 }",
            train: "task: binary\ntrainer: fast_tree"));

        var prepared = _harness.Prepared(outcome);
        var profile = PreparedData.LoadProfile(_harness.Artifacts, DataPrepHarness.Record(outcome));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(32561));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(8140));
            Assert.That(DataViewReader.Strings(prepared.Train, "workclass"), Does.Contain(""));
            Assert.That(profile.Column("workclass")!.Missing, Is.GreaterThan(1000));
            Assert.That(profile.Column("age")!.Type, Is.EqualTo(ColumnType.Int));
        });
    }

    [Test]
    public async Task AdultTest_TrailingDotLabel_IsBinaryOne()
    {
        RealData.Require("adult/adult.test");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: adult/adult.test }
            label: label(IsOver50K)
            schema:
              workclass: { type: categorical, missing: zero }
              occupation: { type: categorical, missing: zero }
              native-country: { type: categorical, missing: zero }
            """,
            train: "task: binary\ntrainer: fast_tree"));

        var prepared = _harness.Prepared(outcome);
        var positives = DataViewReader.Column<bool>(prepared.Train, "label(IsOver50K)").Count(l => l)
            + DataViewReader.Column<bool>(prepared.Test, "label(IsOver50K)").Count(l => l);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(16281));
            Assert.That(positives, Is.EqualTo(3846));
        });
    }

    [Test]
    public async Task Heart_BomSemicolonNoHeader_SchemaNamesColumns()
    {
        RealData.Require("heart_disease/HeartTraining.csv");
        RealData.Require("heart_disease/HeartTest.csv");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: heart_disease/HeartTraining.csv, separator: ";", header: false }
            test_source: { type: csv, path: heart_disease/HeartTest.csv, separator: ";", header: false }
            label: num
            schema:
              age: { type: float }
              sex: { type: boolean }
              cp: { type: categorical }
              trestbps: { type: float, range: [50, 250] }
              chol: { type: float }
              fbs: { type: boolean }
              restecg: { type: categorical }
              thalach: { type: float }
              exang: { type: boolean }
              oldpeak: { type: float }
              slope: { type: categorical }
              ca: { type: float }
              thal: { type: categorical }
              num: { type: int }
            """,
            train: "task: binary\ntrainer: lbfgs_logistic_regression"));

        var prepared = _harness.Prepared(outcome);
        var ages = DataViewReader.Column<float>(prepared.Train, "age");
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().TrainRows, Is.EqualTo(283));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(20));
            // The BOM is not glued onto the first value: row 1's age is 64.
            Assert.That(ages[0], Is.EqualTo(64f));
            Assert.That(DataViewReader.Column<bool>(prepared.Train, "num").Count(l => l), Is.EqualTo(139 - 7));
            Assert.That(DataViewReader.Column<bool>(prepared.Test, "num").Count(l => l), Is.EqualTo(7));
            Assert.That(DataViewReader.Strings(prepared.Train, "cp").Distinct(), Does.Contain("1.0"));
        });
    }

    [Test]
    public async Task Iris_TabHashLabelSpacedNames_Multiclass()
    {
        RealData.Require("iris/iris.txt");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: iris/iris.txt, separator: "\t" }
            label: "#Label"
            """,
            train: "task: multiclass\ntrainer: lbfgs_maximum_entropy\nfeatures: [Sepal length, Sepal width, Petal length, Petal width]"));

        var prepared = _harness.Prepared(outcome);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().TrainRows, Is.EqualTo(120));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(30));
            Assert.That(prepared.Schema.Classes, Is.EqualTo(new[] { "0", "1", "2" }));
            Assert.That(prepared.Schema.Features.Select(f => f.Name), Is.EqualTo(new[] { "Sepal length", "Sepal width", "Petal length", "Petal width" }));
            Assert.That(DataViewReader.Strings(prepared.Test, "#Label").Distinct().Count(), Is.EqualTo(3), "a random split of sorted data still sees every class");
        });
    }

    [Test]
    public async Task Optdigits_NoHeader65Columns_Multiclass()
    {
        RealData.Require("optdigits/optdigits-train.csv");
        RealData.Require("optdigits/optdigits-test.csv");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: optdigits/optdigits-train.csv, header: false }
            test_source: { type: csv, path: optdigits/optdigits-test.csv, header: false }
            label: column_64
            """,
            train: "task: multiclass\ntrainer: light_gbm"));

        var prepared = _harness.Prepared(outcome);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().TrainRows, Is.EqualTo(3823));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(1797));
            Assert.That(prepared.Schema.Features.Count(), Is.EqualTo(64));
            Assert.That(prepared.Schema.Classes!.Order(), Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))));
        });
    }

    [Test]
    public async Task Bike_TimeSplitOnDteday_NewestRowsAreTest()
    {
        RealData.Require("bike_sharing/hour_train.csv");
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: bike_sharing/hour_train.csv }
            timestamp: dteday
            label: cnt
            schema:
              instant: { type: ignore }
              casual: { type: ignore }
              registered: { type: ignore }
              season: { type: categorical }
            """,
            prep: "split: { by: time, test_fraction: 0.2 }\nchecks: { min_rows: 10000, max_missing_fraction: 0, max_duplicate_fraction: 0 }"));

        var prepared = _harness.Prepared(outcome);
        var train = DataViewReader.Column<DateTime>(prepared.Train, "dteday");
        var test = DataViewReader.Column<DateTime>(prepared.Test, "dteday");
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().TrainRows, Is.EqualTo(11159));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(2790));
            Assert.That(train.Max(), Is.LessThanOrEqualTo(test.Min()));
            Assert.That(TypedResults.Iso(outcome.Prep().Watermark), Is.EqualTo("2012-08-09T00:00:00Z"));
            Assert.That(prepared.Schema.Timestamp, Is.EqualTo("dteday"));
        });
    }

    [Test]
    public async Task Taxi_100kRows_CategoricalStringsInferred()
    {
        RealData.Require("taxi_fare/taxi-fare-train.csv");
        var clock = Stopwatch.StartNew();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var outcome = await _harness.SucceedAsync(DataPrepHarness.Pipeline(
            """
            source: { type: csv, path: taxi_fare/taxi-fare-train.csv }
            label: fare_amount
            schema:
              rate_code: { type: categorical }
            """));
        var elapsed = clock.Elapsed;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        using var process = Process.GetCurrentProcess();
        await TestContext.Progress.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"taxi 100k rows: {elapsed.TotalMilliseconds:F0} ms, {allocated / 1048576.0:F1} MB allocated, peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MB"));

        var prepared = _harness.Prepared(outcome);
        var columns = prepared.Schema.Columns.ToDictionary(c => c.Name, c => c.Type);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Prep().Rows, Is.EqualTo(100000));
            Assert.That(outcome.Prep().TestRows, Is.EqualTo(20000));
            Assert.That(columns["vendor_id"], Is.EqualTo(ColumnType.Categorical));
            Assert.That(columns["payment_type"], Is.EqualTo(ColumnType.Categorical));
            Assert.That(columns["rate_code"], Is.EqualTo(ColumnType.Categorical));
            Assert.That(columns["trip_distance"], Is.EqualTo(ColumnType.Float));
            Assert.That(columns["passenger_count"], Is.EqualTo(ColumnType.Int));
            Assert.That(DataViewReader.Strings(prepared.Train, "payment_type").Distinct().Order(), Is.EqualTo(new[] { "CRD", "CSH", "DIS", "NOC", "UNK" }));
        });
    }
}
