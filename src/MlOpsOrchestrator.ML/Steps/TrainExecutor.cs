using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps.Recording;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// <c>train</c>: fits featurization and trainer on the nearest <c>data_prep</c> step's train set, saves the whole chain
/// as <c>model.zip</c> (with the model's view of the schema beside it), and measures it on the test set. In an
/// incremental run a step with <c>incremental: { strategy: warm_start }</c> continues the production model on the new
/// rows (<see cref="WarmStart"/>), one with <c>strategy: window</c> trains on the newest window of data instead of the
/// new rows alone (<see cref="TrainingWindow"/>); without <c>incremental:</c> it fits from scratch on the new rows.
/// </summary>
public sealed class TrainExecutor(IArtifactStore artifacts, IModelRegistry registry, IModelEvaluationStore evaluations, TimeProvider time) : IStepExecutor
{
    public const string ModelFileName = ModelFile.FileName;
    public const string SchemaFileName = "schema.json";

    private const string Preparing = "reading the prepared data";
    private const string PredictedLabelColumn = "PredictedLabel";

    public StepKind Kind => StepKind.Train;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Step is not TrainStep step)
        {
            return StepOutcome.Failed($"step '{context.Step.Id}' is a {context.Step.Kind} step, not a train step");
        }

        var prep = context.Nearest(StepKind.DataPrep);
        if (prep is null)
        {
            return StepOutcome.Failed($"train step '{step.Id}' has no finished data_prep step upstream; add one to its needs");
        }

        if (StepArtifacts.IsEmpty(prep))
        {
            return StepOutcomes.Skipped($"data_prep step '{prep.StepId}' found no new rows; nothing to train");
        }

        var phase = Preparing;
        try
        {
            var outcome = await Task.Run(() => TrainAsync(context, step, prep, p => phase = p, ct), ct);
            if (outcome.Status == StepStatus.Succeeded && outcome.Metrics.Count > 0)
            {
                // The model's test metrics in the evaluation store, replacing an earlier execution's.
                phase = "recording the test metrics";
                var rows = (int)((outcome.Result as TrainResult)?.TestRows ?? (prep.Result as PrepResult)?.TestRows ?? 0);
                await evaluations.ReplaceAsync(context.Run.RunId, step.Id, EvaluationRecords.ForTrain(context, prep, outcome.Metrics, rows, time.GetUtcNow()), ct);
            }

            return outcome;
        }
        catch (AggregateException ex) when (MlCancellation.IsCancellation(ex, ct))
        {
            throw new OperationCanceledException("the step was cancelled while fitting", ex, ct);
        }
        catch (StepInputException ex)
        {
            return StepOutcome.Failed(ex.Message);
        }
        catch (ArgumentException ex) when (phase == Preparing)
        {
            // Unknown trainer or option: the catalog's message lists the valid ones.
            return StepOutcome.Failed(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StepOutcome.Failed($"{phase} failed: {ex.Message}");
        }
    }

    private async Task<StepOutcome> TrainAsync(
        StepContext context, TrainStep step, StepRecord prep, Action<string> setPhase, CancellationToken ct)
    {
        var ml = new MLContext(step.Seed);
        using var cancel = MlCancellation.Link(ml, ct);
        var prepared = StepArtifacts.LoadPrepared(ml, artifacts, prep);
        var data = prepared;
        IDataView? windowFile = null;
        try
        {
            // What an incremental run does for this step; a full run (or a step without `incremental:`) fits from scratch.
            var strategy = PreparedMode.IsIncremental(context, prep) ? step.Incremental?.Strategy : null;
            string? window = null;
            string? holdoutExcluded = null;
            if (strategy == IncrementalStrategy.Window)
            {
                var production = await ProductionModel.FindAsync(registry, context, EvaluateExecutor.ProductionAlias, ct);
                var holdout = production is not null && EvaluationRows.TrySpan(production, out var from, out var through)
                    ? TrainingWindow.EvaluatedOn(context.Definition.Spec, step, from, through)
                    : null;
                var (rows, file, description, excluded) = TrainingWindow.Load(ml, artifacts, prep, step, data.Schema, production, holdout,
                    context.Definition.Spec.Step(prep.StepId) is DataPrepStep { Checks.MinRows: { } min } ? min : null);
                windowFile = file;
                window = description;
                holdoutExcluded = excluded;
                data = data with { Train = rows };
            }

            var outcome = await FitAndSaveAsync(context, step, prep, ml, data, strategy, window, setPhase, ct);
            return holdoutExcluded is not null && outcome.Result is TrainResult trained
                ? outcome with { Result = trained with { HoldoutExcluded = holdoutExcluded } }
                : outcome;
        }
        finally
        {
            StepArtifacts.Close(prepared);
            (windowFile as IDisposable)?.Dispose();
        }
    }

    /// <summary>How often a long fit says it is still working (ML.NET trainers report no progress of their own).</summary>
    private static readonly TimeSpan FitHeartbeat = TimeSpan.FromSeconds(5);

    private async Task<StepOutcome> FitAndSaveAsync(
        StepContext context, TrainStep step, StepRecord prep, MLContext ml, PreparedData data, IncrementalStrategy? strategy, string? window,
        Action<string> setPhase, CancellationToken ct)
    {
        var plan = Featurizer.Plan(ml, data.Schema, data.Train, step.Task, step.Trainer, step.Features);
        WarmStartBase? warm = null;
        string? note = null;
        if (strategy == IncrementalStrategy.WarmStart)
        {
            setPhase("loading the production model to warm-start from");
            (warm, note) = await WarmStart.FindAsync(registry, artifacts, context, step, ml, plan, ct);
        }

        var rows = TrainingWindow.Count(data.Train);
        var (options, passes) = warm is null ? (step.Options, null) : WarmStartPasses.Apply(step.Trainer, step.Options, rows, warm);

        // Created before the fit so an unknown trainer or option is reported as such (the catalog lists the valid ones).
        var trainer = TrainerFactory.Create(ml, step.Task, step.Trainer, options, LabelColumn(step.Task, plan.ModelSchema), Featurizer.FeaturesColumn);
        var modelSchema = warm?.ModelSchema(plan.ModelSchema, step.Task) ?? plan.ModelSchema;
        var (train, _) = LabelPreparation.Apply(ml, modelSchema, step.Task, data.Train);
        var rowsText = rows.ToString(CultureInfo.InvariantCulture);
        if (rows == 0 && window is not null)
        {
            throw new StepInputException(
                $"train step '{step.Id}' has no rows to train on in {window}: every row in it is a test row of this run; widen its window");
        }

        if (window is not null && TrainingWindow.TooFew(context, prep, rows) is { } floor)
        {
            throw new StepInputException(string.Create(CultureInfo.InvariantCulture,
                $"train step '{step.Id}' would train on only {rows:N0} rows in {window}, fewer than min_rows {floor:N0} of data_prep step '{prep.StepId}'; widen its window, or lower checks.min_rows (nothing was trained)"));
        }

        if (note is not null)
        {
            context.Progress($"{step.Id}: {note}");
        }

        setPhase(warm is null ? $"training {step.Trainer}" : $"warm-starting {step.Trainer} from {warm.Name}");
        var clock = Stopwatch.StartNew();
        ITransformer model;
        using (new Timer(_ => context.Progress($"{step.Id}: still fitting {step.Trainer}, {StepOutcomes.Seconds(clock.Elapsed)} so far"), null, FitHeartbeat, FitHeartbeat))
        {
            if (warm is not null)
            {
                context.Progress($"{step.Id}: warm start from {warm.Name} on {rowsText} rows ({step.Trainer}; the featurization of {warm.Name} reused as fitted, "
                    + $"{plan.FeatureColumns.Count} feature columns)");
                if (passes is not null)
                {
                    context.Progress($"{step.Id}: {passes}");
                }

                model = WarmStart.Fit(step, warm, trainer, train);
            }
            else
            {
                context.Progress($"{step.Id}: fitting {step.Trainer} on {rowsText} rows{(window is null ? "" : $", {window}")}, {plan.FeatureColumns.Count} feature columns "
                    + $"({Echo.List(plan.FeatureColumns)}){(plan.Normalized ? ", min-max normalized" : "")}");
                model = Pipeline(ml, step, plan, trainer).Fit(train);
            }
        }

        context.Progress($"{step.Id}: {(warm is null ? "fitted" : "warm-started")} {step.Trainer} on {rowsText} rows in {StepOutcomes.Seconds(clock.Elapsed)}");

        setPhase("saving the model");
        var modelPath = $"{context.ArtifactPrefix}/{ModelFileName}";
        var schemaPath = $"{context.ArtifactPrefix}/{SchemaFileName}";
        var inputSchema = InputSchema(data.Train.Schema, plan.FeatureColumns);
        await artifacts.WriteAsync(modelPath, (stream, _) =>
        {
            ModelFile.Save(ml, model, inputSchema, stream);
            return Task.CompletedTask;
        }, ct);
        await artifacts.WriteAsync(schemaPath, (stream, token) => DatasetSchemaJson.WriteAsync(stream, modelSchema, token), ct);

        setPhase("measuring the model on the test set");
        clock.Restart();
        var metrics = new ScoredModel(model, modelSchema, step.Task).Measure(ml, data.Test);
        var testRows = (data.Test.GetRowCount() ?? 0).ToString(CultureInfo.InvariantCulture);
        context.Progress($"{step.Id}: measured on {testRows} test rows in {StepOutcomes.Seconds(clock.Elapsed)}: {StepOutcomes.Describe(metrics)}");

        var missing = Metrics.For(step.Task).Where(m => !metrics.ContainsKey(m)).ToList();
        var result = new TrainResult { Task = step.Task, Trainer = step.Trainer, MeasuredOn = prep.StepId };
        if (context.Run.Mode == RunMode.Incremental)
        {
            // What an incremental run trained on, where it can differ from the data_prep step's train rows.
            result = result with
            {
                TrainRows = rows,
                TestRows = data.Test.GetRowCount() ?? 0,
                Strategy = warm is not null ? TrainingStrategy.WarmStart : strategy == IncrementalStrategy.Window ? TrainingStrategy.Window : TrainingStrategy.Full,
                WarmStartFrom = warm is null ? null : new ModelRef(warm.Version.Name, warm.Version.Version),
            };
        }

        var how = warm is not null ? $"warm-started from {warm.Name} on {rowsText} rows{(passes is null ? "" : $" ({passes})")}"
            : window is not null ? $"trained on {rowsText} rows, {window}"
            : $"trained on {rowsText} rows";
        return new StepOutcome
        {
            Status = StepStatus.Succeeded,
            Metrics = metrics,
            Artifacts = new Dictionary<string, string>
            {
                [ArtifactNames.Model] = modelPath,
                [ArtifactNames.Schema] = schemaPath,
            },
            Result = result,
            Message = $"{step.Trainer} {how}, measured on {testRows} test rows"
                + (note is null ? "" : $" ({note})")
                + (missing.Count > 0 ? $"; not available for this trainer: {string.Join(", ", missing)}" : ""),
        };
    }

    /// <summary>Featurization, trainer and (multiclass) the predicted key back to the class name: the chain fitted from scratch.</summary>
    private static EstimatorChain<ITransformer> Pipeline(MLContext ml, TrainStep step, FeaturizationPlan plan, IEstimator<ITransformer> trainer)
    {
        var pipeline = plan.Features.Append(trainer);
        return step.Task == MlTask.Multiclass
            ? pipeline.Append<ITransformer>(ml.Transforms.Conversion.MapKeyToValue(PredictedLabelColumn))
            : pipeline;
    }

    /// <summary>The column the trainer reads the label from, as <see cref="LabelPreparation"/> provides it.</summary>
    private static string LabelColumn(MlTask task, DatasetSchema schema) => task == MlTask.Multiclass ? LabelPreparation.KeyColumn : schema.Label;

    /// <summary>The schema saved in the zip: only the raw columns the model reads.</summary>
    private static DataViewSchema InputSchema(DataViewSchema data, IReadOnlyList<string> features)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var name in features)
        {
            var column = data[name];
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }

        return builder.ToSchema();
    }
}
