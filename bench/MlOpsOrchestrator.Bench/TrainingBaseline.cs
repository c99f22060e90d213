using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// <c>mlops-bench --baseline-training CSV MODEL THREADS</c>: the plain ML.NET program the <c>training-overhead</c>
/// benchmark compares <c>mlops run</c> with. It does what the benchmark's pipeline asks of the product, written by hand:
/// <c>LoadFromTextFile</c> with the same columns and types, the same random split (data_prep's seeded Fisher–Yates
/// over row numbers, both parts in file order), the featurization the product's <c>Featurizer</c> builds for this
/// schema (mean replacement, one-hot, text featurizer, concatenate, min-max normalize, in schema order), the same
/// trainer with the same options, seed and threads, one evaluation on the test rows, and the model zip saved.
/// Prints the metrics as one JSON line.
/// </summary>
internal static class TrainingBaseline
{
    public const string Mode = "--baseline-training";

    private const string Label = "churned";
    private const string Features = "Features";
    private const string Prefix = "__feature_";
    private const double TestFraction = 0.2;
    private const int SplitSeed = 42;
    private const int TrainSeed = 42;

    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Count != 3 || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var threads))
        {
            Console.Error.WriteLine($"usage: mlops-bench {Mode} CSV MODEL_ZIP THREADS");
            return 2;
        }

        var (csv, modelPath) = (args[0], args[1]);
        var ml = new MLContext(seed: TrainSeed);
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            HasHeader = true,
            Separators = [','],
            AllowQuoting = true,
            // Empty numbers are missing (NaN, then replaced by the mean), as data_prep reads them; TextLoader's default is 0.
            MissingRealsAsNaNs = true,
            Columns =
            [
                new TextLoader.Column("tenure_months", DataKind.Single, 1),
                new TextLoader.Column("monthly_charges", DataKind.Single, 2),
                new TextLoader.Column("contract", DataKind.String, 3),
                new TextLoader.Column("payment", DataKind.String, 4),
                new TextLoader.Column("support_calls", DataKind.Single, 5),
                new TextLoader.Column("outages", DataKind.Single, 6),
                new TextLoader.Column("last_note", DataKind.String, 7),
                new TextLoader.Column(Label, DataKind.Boolean, 8),
            ],
        });
        var data = loader.Load(csv);

        // The same rows as data_prep's random split: a seeded shuffle of the row numbers, the first 20 % are test rows.
        var rows = File.ReadLines(csv).Count() - 1;
        var isTest = TestRows(rows);
        var train = Rows(ml, data, isTest, test: false);
        var test = Rows(ml, data, isTest, test: true);

        var pipeline = ml.Transforms.ReplaceMissingValues(Prefix + "monthly_charges", "monthly_charges", MissingValueReplacingEstimator.ReplacementMode.Mean)
            .Append(ml.Transforms.Categorical.OneHotEncoding(Prefix + "contract", "contract"))
            .Append(ml.Transforms.Categorical.OneHotEncoding(Prefix + "payment", "payment"))
            .Append(ml.Transforms.Text.FeaturizeText(Prefix + "last_note", "last_note"))
            .Append(ml.Transforms.Concatenate(Features,
                "tenure_months", Prefix + "monthly_charges", Prefix + "contract", Prefix + "payment", "support_calls", "outages", Prefix + "last_note"))
            .Append(ml.Transforms.NormalizeMinMax(Features))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = Label,
                FeatureColumnName = Features,
                NumberOfThreads = threads,
            }));
        var model = pipeline.Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test), Label);
        ml.Model.Save(model, data.Schema, modelPath);

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, double>
        {
            ["auc"] = metrics.AreaUnderRocCurve,
            ["accuracy"] = metrics.Accuracy,
            ["f1"] = metrics.F1Score,
            ["precision"] = metrics.PositivePrecision,
            ["recall"] = metrics.PositiveRecall,
            ["auprc"] = metrics.AreaUnderPrecisionRecallCurve,
            ["log_loss"] = metrics.LogLoss,
            ["train_rows"] = rows - isTest.Count(t => t),
            ["test_rows"] = isTest.Count(t => t),
        }));
        return 0;
    }

    /// <summary>Fisher–Yates over 0..rows-1 with <c>new Random(seed)</c>, the first <c>round(rows × fraction)</c> are test rows.</summary>
    private static bool[] TestRows(int rows)
    {
        var order = Enumerable.Range(0, rows).ToArray();
        var random = new Random(SplitSeed);
        for (var i = rows - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var testCount = rows < 2 ? 0 : Math.Clamp((int)Math.Round(rows * TestFraction, MidpointRounding.AwayFromZero), 1, rows - 1);
        var isTest = new bool[rows];
        foreach (var row in order[..testCount])
        {
            isTest[row] = true;
        }

        return isTest;
    }

    /// <summary>
    /// The rows of one side of the split, in file order: a filter that counts the rows it sees (ML.NET's predicate
    /// returns true for the rows to drop).
    /// </summary>
    private static IDataView Rows(MLContext ml, IDataView data, bool[] isTest, bool test) =>
        ml.Data.FilterByStatefulCustomPredicate<LabelRow, RowCounter>(
            data,
            (_, counter) => isTest[++counter.Row] != test,
            counter => counter.Row = -1);

    private sealed class LabelRow
    {
        [ColumnName(Label)]
        public bool Churned { get; set; }
    }

    private sealed class RowCounter
    {
        public int Row { get; set; } = -1;
    }
}
