using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// <c>incremental: { strategy: warm_start }</c>: continues the production model's linear parameters on the new rows.
/// The production zip is loaded, its featurization (everything before the predictor) is reused as fitted, so the new
/// rows are normalized and one-hot encoded exactly as production encodes them, and the trainer's
/// <c>Fit(data, parameters)</c> overload starts from the predictor's weights. The saved model is the old featurization
/// with the new predictor. When there is nothing to continue (no production model, another trainer, other features,
/// new classes) <see cref="FindAsync"/> says why and the step fits from scratch on the new rows instead.
/// </summary>
internal static class WarmStart
{
    /// <summary>The alias warm start continues from, the one <c>evaluate</c> compares against.</summary>
    public const string Alias = EvaluateExecutor.ProductionAlias;

    /// <summary>
    /// The production model to continue, or null with the reason it cannot be continued (the note the step reports
    /// before fitting from scratch).
    /// </summary>
    public static async Task<(WarmStartBase? Base, string? Note)> FindAsync(
        IModelRegistry registry, IArtifactStore artifacts, StepContext context, TrainStep step, MLContext ml, FeaturizationPlan plan, CancellationToken ct)
    {
        var version = await ProductionModel.FindAsync(registry, context, Alias, ct);
        if (version is null)
        {
            return (null, $"no {Alias} model of {ProductionModel.RegistryName(context)} yet to warm-start from; fitting {step.Trainer} from scratch on the new rows");
        }

        var label = $"{version.Name} v{version.Version}";
        try
        {
            return Load(artifacts, step, ml, plan, version) switch
            {
                (WarmStartBase found, _) => (found, null),
                (_, var reason) => (null, $"cannot warm-start from {Alias} {label}: {reason}; fitting {step.Trainer} from scratch on the new rows"),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or IOException or StepInputException or System.Text.Json.JsonException)
        {
            return (null, $"cannot warm-start from {Alias} {label}: its model could not be loaded ({ex.Message}); fitting {step.Trainer} from scratch on the new rows");
        }
    }

    /// <summary>
    /// Featurizes <paramref name="train"/> (label already prepared for <paramref name="trainer"/>) with the production
    /// featurization and continues the production parameters on it; returns the whole chain to save.
    /// </summary>
    public static ITransformer Fit(TrainStep step, WarmStartBase start, IEstimator<ITransformer> trainer, IDataView train)
    {
        var featurization = new TransformerChain<ITransformer>([.. start.Featurization]);
        var featurized = featurization.Transform(train);
        ITransformer predictor = (trainer, start.Parameters) switch
        {
            (LbfgsLogisticRegressionBinaryTrainer t, LinearModelParameters p) => t.Fit(featurized, p),
            (AveragedPerceptronTrainer t, LinearModelParameters p) => t.Fit(featurized, p),
            (OnlineGradientDescentTrainer t, LinearModelParameters p) => t.Fit(featurized, p),
            (LbfgsPoissonRegressionTrainer t, LinearModelParameters p) => t.Fit(featurized, p),
            (LbfgsMaximumEntropyMulticlassTrainer t, MaximumEntropyModelParameters p) => t.Fit(featurized, p),
            _ => throw new StepInputException(
                $"trainer {step.Trainer} cannot continue {start.Parameters.GetType().Name} (warm start is possible for lbfgs_logistic_regression, "
                + "averaged_perceptron, online_gradient_descent, lbfgs_poisson and lbfgs_maximum_entropy)"),
        };
        return new TransformerChain<ITransformer>([.. start.Featurization, predictor, .. start.Tail]);
    }

    private static (WarmStartBase? Base, string? Reason) Load(
        IArtifactStore artifacts, TrainStep step, MLContext ml, FeaturizationPlan plan, ModelVersion version)
    {
        var properties = version.Properties;
        var task = properties.GetValueOrDefault(ModelProperties.Task);
        if (task != TaskNames.Of(step.Task))
        {
            return (null, $"it is a {task ?? "model without a recorded task"}, this step trains {TaskNames.Of(step.Task)}");
        }

        var trainer = properties.GetValueOrDefault(ModelProperties.Trainer);
        if (trainer != step.Trainer)
        {
            return (null, $"it was trained with {trainer ?? "an unrecorded trainer"}, and warm start continues only the parameters of the same trainer ({step.Trainer})");
        }

        if (!properties.TryGetValue(ModelProperties.Schema, out var schemaPath) || !artifacts.Exists(schemaPath) || !artifacts.Exists(version.ArtifactPath))
        {
            return (null, "its model or schema file is missing from the artifact store");
        }

        var schema = StepArtifacts.ReadSchema(artifacts.PathOf(schemaPath));
        if (Incompatibility(schema, plan, step.Task) is { } reason)
        {
            return (null, $"its schema differs from the new rows' ({reason})");
        }

        if (ModelFile.Load(ml, artifacts.PathOf(version.ArtifactPath)) is not TransformerChain<ITransformer> chain)
        {
            return (null, "its model is not a transform chain");
        }

        var parts = chain.ToArray();
        var index = Array.FindLastIndex(parts, p => p is IPredictionTransformer<object>);
        if (index < 0)
        {
            return (null, "its model has no predictor");
        }

        var model = ((IPredictionTransformer<object>)parts[index]).Model;
        if (Parameters(model) is not { } parameters || !Continues(step.Trainer, parameters))
        {
            return (null, $"its predictor ({model.GetType().Name}) holds no parameters {step.Trainer} can continue");
        }

        return (new WarmStartBase(version, schema, parts[..index], parameters, parts[(index + 1)..]), null);
    }

    /// <summary>The linear parameters inside a predictor: the model itself, or a calibrated model's sub-model.</summary>
    private static object? Parameters(object model) => model switch
    {
        LinearModelParameters or MaximumEntropyModelParameters => model,
        // Logistic regression's model: the linear model with its (Platt) calibrator.
        CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> calibrated => calibrated.SubModel,
        _ => null,
    };

    /// <summary>True when <paramref name="parameters"/> are what <paramref name="trainer"/> produces, so continuing them is meaningful.</summary>
    private static bool Continues(string trainer, object parameters) => (trainer, parameters) switch
    {
        ("lbfgs_logistic_regression" or "averaged_perceptron", LinearBinaryModelParameters) => true,
        ("online_gradient_descent", LinearRegressionModelParameters) => true,
        ("lbfgs_poisson", PoissonRegressionModelParameters) => true,
        ("lbfgs_maximum_entropy", MaximumEntropyModelParameters) => true,
        _ => false,
    };

    /// <summary>
    /// Why the production featurization cannot take the new rows, or null: the feature columns must be the same, in the
    /// same order, with the same types and imputation; the label the same; a multiclass slice may only hold known classes.
    /// </summary>
    private static string? Incompatibility(DatasetSchema production, FeaturizationPlan plan, MlTask task)
    {
        var problems = new List<string>();
        var current = plan.ModelSchema;
        var before = production.Features.ToList();
        var now = plan.FeatureColumns.Select(name => current.Columns.First(c => c.Name == name)).ToList();
        if (!before.Select(c => c.Name).SequenceEqual(now.Select(c => c.Name), StringComparer.Ordinal))
        {
            problems.Add($"features were [{Echo.List(before.Select(c => c.Name))}], now [{Echo.List(now.Select(c => c.Name))}]");
        }
        else
        {
            foreach (var (old, column) in before.Zip(now))
            {
                if (old.Type != column.Type)
                {
                    problems.Add($"column '{column.Name}' was {Word(old.Type)}, now {Word(column.Type)}");
                }
                else if (Imputes(old.Missing) != Imputes(column.Missing))
                {
                    problems.Add($"column '{column.Name}' was imputed with missing: {Word(old.Missing)}, now missing: {Word(column.Missing)}");
                }
            }
        }

        if (production.Label != current.Label)
        {
            problems.Add($"the label was '{production.Label}', now '{current.Label}'");
        }

        if (task == MlTask.Binary && production.Positive != current.Positive)
        {
            problems.Add($"the positive class was '{production.Positive}', now '{current.Positive}'");
        }

        if (task == MlTask.Multiclass)
        {
            var known = (production.Classes ?? []).ToHashSet(StringComparer.Ordinal);
            var unknown = (current.Classes ?? []).Where(c => !known.Contains(c)).ToList();
            if (unknown.Count > 0)
            {
                problems.Add($"the new rows have classes the model does not know: {Echo.List(unknown)}");
            }
        }

        return problems.Count > 0 ? string.Join("; ", problems) : null;
    }

    private static MissingPolicy? Imputes(MissingPolicy policy) => policy is MissingPolicy.Mean or MissingPolicy.Zero ? policy : null;

    private static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
