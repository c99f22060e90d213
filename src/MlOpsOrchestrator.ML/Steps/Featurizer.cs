using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// Builds the featurization from the dataset schema: numeric columns as they are (missing values replaced by the mean
/// or zero when the schema says so, NaN otherwise), booleans as 0/1, categoricals one-hot (a value unseen in training
/// becomes all zeros), text through the text featurizer, datetimes as hour/day-of-week/month when listed explicitly in
/// <c>features:</c>; all concatenated into <c>Features</c> and min-max normalized for linear trainers. It becomes part
/// of the model zip, so serving featurizes exactly as training did.
/// </summary>
internal static class Featurizer
{
    public const string FeaturesColumn = "Features";
    private const string Prefix = "__feature_";

    /// <summary>Trainers that split on raw values and need no normalization.</summary>
    private static readonly HashSet<string> TreeTrainers =
        ["fast_tree", "fast_forest", "fast_tree_tweedie", "light_gbm", "one_versus_all_fast_tree"];

    public static bool NeedsNormalization(string trainer) => !TreeTrainers.Contains(trainer);

    /// <summary>The featurization for <paramref name="trainer"/>; <c>features</c> is the train step's list, or null for every feature column except datetimes.</summary>
    /// <exception cref="StepInputException">A listed feature is unknown or not a feature, or a column has the wrong type in the data.</exception>
    public static FeaturizationPlan Plan(
        MLContext ml, DatasetSchema schema, IDataView train, MlTask task, string trainer, IReadOnlyList<string>? features)
    {
        var used = SelectFeatures(schema, features);
        var problems = new List<string>();
        foreach (var column in used)
        {
            CheckType(train.Schema, column.Name, ColumnRepresentation.Of(column.Type)!, column.Type.ToString().ToLowerInvariant(), problems);
        }

        CheckLabel(schema, train.Schema, task, problems);
        if (problems.Count > 0)
        {
            throw new StepInputException(string.Join("; ", problems));
        }

        var chain = new EstimatorChain<ITransformer>();
        var parts = new List<string>();
        foreach (var column in used)
        {
            chain = AppendColumn(ml, chain, column, parts);
        }

        chain = chain.Append<ITransformer>(ml.Transforms.Concatenate(FeaturesColumn, [.. parts]));
        var normalized = NeedsNormalization(trainer);
        if (normalized)
        {
            chain = chain.Append<ITransformer>(ml.Transforms.NormalizeMinMax(FeaturesColumn));
        }

        var usedNames = used.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var modelSchema = schema with
        {
            Columns = schema.Columns
                .Select(c => c.Role == ColumnRole.Feature && !usedNames.Contains(c.Name) ? c with { Role = ColumnRole.Ignored } : c)
                .ToList(),
            Classes = task == MlTask.Multiclass ? schema.Classes ?? LabelPreparation.ClassesInOrder(train, schema.Label) : schema.Classes,
        };
        return new FeaturizationPlan(chain, [.. used.Select(c => c.Name)], modelSchema, normalized);
    }

    private static List<DatasetColumn> SelectFeatures(DatasetSchema schema, IReadOnlyList<string>? features)
    {
        if (features is null)
        {
            var all = schema.Features.Where(c => c.Type is not (ColumnType.Datetime or ColumnType.Ignore)).ToList();
            return all.Count > 0
                ? all
                : throw new StepInputException("the prepared data has no feature columns (datetime columns are used only when listed in features:)");
        }

        var problems = new List<string>();
        var selected = new List<DatasetColumn>();
        foreach (var name in features.Distinct(StringComparer.Ordinal))
        {
            var column = schema.Columns.FirstOrDefault(c => c.Name == name);
            var problem = column switch
            {
                null => $"feature '{name}' is not a column of the prepared data; columns: {Echo.List(schema.Columns.Select(c => c.Name))}",
                { Role: ColumnRole.Label } => $"feature '{name}' is the label",
                { Role: ColumnRole.Timestamp } => $"feature '{name}' is the pipeline's timestamp and cannot be a feature; add a separate datetime column to use its hour, day of week and month",
                { Role: ColumnRole.Ignored } or { Type: ColumnType.Ignore } => $"feature '{name}' is ignored by the schema (type: ignore)",
                _ => null,
            };
            if (problem is null)
            {
                selected.Add(column!);
            }
            else
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > 0)
        {
            throw new StepInputException(string.Join("; ", problems));
        }

        // Schema order, so the feature vector does not depend on how features: happens to be ordered.
        return selected.Count > 0
            ? [.. selected.OrderBy(c => IndexOf(schema, c.Name))]
            : throw new StepInputException("features: is empty");
    }

    private static int IndexOf(DatasetSchema schema, string name)
    {
        for (var i = 0; i < schema.Columns.Count; i++)
        {
            if (schema.Columns[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static EstimatorChain<ITransformer> AppendColumn(
        MLContext ml, EstimatorChain<ITransformer> chain, DatasetColumn column, List<string> parts)
    {
        var output = Prefix + column.Name;
        switch (column.Type)
        {
            case ColumnType.Float or ColumnType.Int when column.Missing is MissingPolicy.Mean or MissingPolicy.Zero:
                var mode = column.Missing == MissingPolicy.Mean
                    ? MissingValueReplacingEstimator.ReplacementMode.Mean
                    : MissingValueReplacingEstimator.ReplacementMode.DefaultValue;
                chain = chain.Append<ITransformer>(ml.Transforms.ReplaceMissingValues(output, column.Name, mode));
                break;
            case ColumnType.Float or ColumnType.Int:
                output = column.Name;
                break;
            case ColumnType.Boolean:
                chain = chain.Append<ITransformer>(ml.Transforms.Conversion.ConvertType(output, column.Name, DataKind.Single));
                break;
            case ColumnType.Categorical:
                chain = chain.Append<ITransformer>(ml.Transforms.Categorical.OneHotEncoding(output, column.Name));
                break;
            case ColumnType.Text:
                chain = chain.Append<ITransformer>(ml.Transforms.Text.FeaturizeText(output, column.Name));
                break;
            case ColumnType.Datetime:
                chain = chain
                    .Append<ITransformer>(ml.Transforms.CopyColumns(DateTimeParts.InputColumn, column.Name))
                    .Append<ITransformer>(ml.Transforms.CustomMapping<DateTimePartsInput, DateTimePartsOutput>(DateTimeParts.Map, DateTimeParts.ContractName))
                    .Append<ITransformer>(ml.Transforms.CopyColumns(output, DateTimeParts.OutputColumn));
                break;
            default:
                throw new StepInputException($"column '{column.Name}' has type {column.Type}, which cannot be a feature");
        }

        parts.Add(output);
        return chain;
    }

    private static void CheckLabel(DatasetSchema schema, DataViewSchema data, MlTask task, List<string> problems)
    {
        var (expected, word) = task switch
        {
            MlTask.Binary => ((DataViewType)BooleanDataViewType.Instance, "Boolean (binary task)"),
            MlTask.Multiclass => (TextDataViewType.Instance, "String class names (multiclass task)"),
            _ => (NumberDataViewType.Single, "Single (regression task)"),
        };
        CheckType(data, schema.Label, expected, word, problems, "label");
    }

    private static void CheckType(DataViewSchema data, string name, DataViewType expected, string word, List<string> problems, string what = "column")
    {
        var actual = data.GetColumnOrNull(name);
        if (actual is null)
        {
            problems.Add($"{what} '{name}' is missing from the prepared data");
        }
        else if (!actual.Value.Type.Equals(expected))
        {
            problems.Add($"{what} '{name}' is {actual.Value.Type} in the prepared data, expected {expected} for {word}");
        }
    }
}
