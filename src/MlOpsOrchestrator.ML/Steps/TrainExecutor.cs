using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// <c>train</c>: fits featurization and trainer on the nearest <c>data_prep</c> step's train set, saves the whole chain
/// as <c>model.zip</c> (with the model's view of the schema beside it), and measures it on the test set.
/// </summary>
public sealed class TrainExecutor : IStepExecutor
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
            return await Task.Run(() => TrainAsync(context, step, prep, p => phase = p, ct), ct);
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

    private static async Task<StepOutcome> TrainAsync(
        StepContext context, TrainStep step, StepRecord prep, Action<string> setPhase, CancellationToken ct)
    {
        var ml = new MLContext(step.Seed);
        using var cancel = MlCancellation.Link(ml, ct);
        var data = StepArtifacts.LoadPrepared(ml, context.Artifacts, prep);
        try
        {
            return await FitAndSaveAsync(context, step, ml, data, setPhase, ct);
        }
        finally
        {
            StepArtifacts.Close(data);
        }
    }

    /// <summary>How often a long fit says it is still working (ML.NET trainers report no progress of their own).</summary>
    private static readonly TimeSpan FitHeartbeat = TimeSpan.FromSeconds(5);

    private static async Task<StepOutcome> FitAndSaveAsync(
        StepContext context, TrainStep step, MLContext ml, PreparedData data, Action<string> setPhase, CancellationToken ct)
    {
        var plan = Featurizer.Plan(ml, data.Schema, data.Train, step.Task, step.Trainer, step.Features);
        var (train, labelColumn) = LabelPreparation.Apply(ml, plan.ModelSchema, step.Task, data.Train);
        var pipeline = plan.Features.Append<ITransformer>(
            TrainerFactory.Create(ml, step.Task, step.Trainer, step.Options, labelColumn, Featurizer.FeaturesColumn));
        if (step.Task == MlTask.Multiclass)
        {
            pipeline = pipeline.Append<ITransformer>(ml.Transforms.Conversion.MapKeyToValue(PredictedLabelColumn));
        }

        setPhase($"training {step.Trainer}");
        var rows = data.Train.GetRowCount();
        context.Progress($"{step.Id}: fitting {step.Trainer} on {rows} rows, {plan.FeatureColumns.Count} feature columns "
            + $"({string.Join(", ", plan.FeatureColumns)}){(plan.Normalized ? ", min-max normalized" : "")}");
        var clock = Stopwatch.StartNew();
        ITransformer model;
        using (new Timer(_ => context.Progress($"{step.Id}: still fitting {step.Trainer}, {StepOutcomes.Seconds(clock.Elapsed)} so far"), null, FitHeartbeat, FitHeartbeat))
        {
            model = pipeline.Fit(train);
        }

        context.Progress($"{step.Id}: fitted {step.Trainer} on {rows} rows in {StepOutcomes.Seconds(clock.Elapsed)}");

        setPhase("saving the model");
        var modelPath = $"{context.ArtifactPrefix}/{ModelFileName}";
        var schemaPath = $"{context.ArtifactPrefix}/{SchemaFileName}";
        var inputSchema = InputSchema(data.Train.Schema, plan.FeatureColumns);
        await context.Artifacts.WriteAsync(modelPath, (stream, _) =>
        {
            ModelFile.Save(ml, model, inputSchema, stream);
            return Task.CompletedTask;
        }, ct);
        await context.Artifacts.WriteAsync(schemaPath, (stream, token) => DatasetSchemaJson.WriteAsync(stream, plan.ModelSchema, token), ct);

        setPhase("measuring the model on the test set");
        clock.Restart();
        var metrics = new ScoredModel(model, plan.ModelSchema, step.Task).Measure(ml, data.Test);
        var testRows = data.Test.GetRowCount();
        context.Progress($"{step.Id}: measured on {testRows} test rows in {StepOutcomes.Seconds(clock.Elapsed)}: {StepOutcomes.Describe(metrics)}");

        var missing = Metrics.For(step.Task).Where(m => !metrics.ContainsKey(m)).ToList();
        return new StepOutcome
        {
            Status = StepStatus.Succeeded,
            Metrics = metrics,
            Artifacts = new Dictionary<string, string>
            {
                [DatasetContract.ModelArtifact] = modelPath,
                [DatasetContract.SchemaArtifact] = schemaPath,
            },
            Outputs = new Dictionary<string, string>
            {
                [DatasetContract.TaskOutput] = TaskNames.Of(step.Task),
                [DatasetContract.TrainerOutput] = step.Trainer,
            },
            Message = $"{step.Trainer} trained on {rows} rows, measured on {testRows} test rows"
                + (missing.Count > 0 ? $"; not available for this trainer: {string.Join(", ", missing)}" : ""),
        };
    }

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
