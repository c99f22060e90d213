using Microsoft.ML;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps.Recording;
using MlOpsOrchestrator.ML.Steps.Slicing;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// <c>evaluate</c>: measures every candidate (the train steps it needs) and the current production model on the same
/// rows (<see cref="EvaluationRows"/>: the test set, plus the lineage's holdout in an incremental run), picks the best
/// candidate by the primary metric and checks every gate against it. A failed gate fails the step with every failure
/// listed, so nothing is deployed. A candidate that passes may still be held back (<see cref="DeploySafety"/>: too few
/// rows, the built-in safety): the step succeeds with the reason in its result (<see cref="EvaluateResult.HeldBack"/>), and deploy registers
/// the candidate without moving the alias. This is the one place the deploy decision is taken, whatever started the run.
/// With <c>slices</c>, both models are also measured on every slice and <c>slice_gates</c> judged there
/// (<see cref="SliceGateCheck"/>), as relative gates. Every number is written to the evaluation store, replacing what
/// an earlier execution of the same step wrote.
/// </summary>
public sealed class EvaluateExecutor(IArtifactStore artifacts, IModelRegistry registry, IModelEvaluationStore evaluations, TimeProvider time) : IStepExecutor
{
    /// <summary>The alias relative gates compare against.</summary>
    public const string ProductionAlias = "production";

    /// <summary>Prefix of the production model's metrics in the step's metrics (<c>production_rmse</c>).</summary>
    public const string ProductionMetricPrefix = "production_";

    public StepKind Kind => StepKind.Evaluate;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Step is not EvaluateStep step)
        {
            return StepOutcome.Failed($"step '{context.Step.Id}' is a {context.Step.Kind} step, not an evaluate step");
        }

        var prep = context.Nearest(StepKind.DataPrep);
        if (prep is null)
        {
            return StepOutcome.Failed($"evaluate step '{step.Id}' has no finished data_prep step upstream to take the test set from");
        }

        if (StepArtifacts.IsEmpty(prep))
        {
            return StepOutcomes.Skipped($"data_prep step '{prep.StepId}' found no new rows; nothing to evaluate");
        }

        var upstream = context.Upstream(StepKind.Train);
        var trained = upstream.Where(s => s.Status == StepStatus.Succeeded).ToList();
        if (trained.Count == 0)
        {
            return upstream.Count > 0 && upstream.All(s => s.Status == StepStatus.Skipped)
                ? StepOutcomes.Skipped("every candidate train step was skipped; nothing to evaluate")
                : StepOutcome.Failed($"evaluate step '{step.Id}' has no trained candidate; add a train step to its needs");
        }

        var tasks = trained.Select(s => (s.StepId, (s.Result as TrainResult)?.Task)).ToList();
        if (tasks.Select(t => t.Task).Distinct().Count() != 1 || tasks[0].Task is not { } task)
        {
            return StepOutcome.Failed("the candidates must be trained for one task; got "
                + string.Join(", ", tasks.Select(t => $"{t.StepId}: {(t.Task is { } named ? TaskNames.Of(named) : "none")}")));
        }

        var primary = step.PrimaryFor(task);
        if (!Metrics.Fits(task, primary))
        {
            return StepOutcome.Failed($"primary metric '{primary}' does not fit a {TaskNames.Of(task)} task; use one of: {string.Join(", ", Metrics.For(task))}");
        }

        try
        {
            var production = await ProductionModel.FindAsync(registry, context, ProductionAlias, ct);
            var judged = await Task.Run(() => Evaluate(context, step, prep, trained, task, primary, production, ct), ct);
            await evaluations.ReplaceAsync(context.Run.RunId, step.Id, judged.Records, ct);
            return judged.Outcome;
        }
        catch (StepInputException ex)
        {
            return StepOutcome.Failed(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StepOutcome.Failed($"evaluating the candidates failed: {ex.Message}");
        }
    }

    private Judged Evaluate(
        StepContext context, EvaluateStep step, StepRecord prep, IReadOnlyList<StepRecord> trained, MlTask task, string primary,
        ModelVersion? production, CancellationToken ct)
    {
        var ml = new MLContext(seed: 0);
        using var cancel = MlCancellation.Link(ml, ct);
        var data = StepArtifacts.LoadPrepared(ml, artifacts, prep);
        try
        {
            var rows = EvaluationRows.Build(ml, artifacts, context, step, prep, data.Test, data.Schema, production, trained);
            var majority = task == MlTask.Regression ? null : MajorityBaseline.Measure(data.Train, rows.View, data.Schema);
            return Evaluate(context, step, ml, prep, rows, majority, trained, task, primary, production, ct);
        }
        finally
        {
            StepArtifacts.Close(data);
        }
    }

    private Judged Evaluate(
        StepContext context, EvaluateStep step, MLContext ml, StepRecord prepRecord, EvaluationRows rows, MajorityBaseline? majority,
        IReadOnlyList<StepRecord> trained, MlTask task, string primary, ModelVersion? production, CancellationToken ct)
    {
        var test = rows.View;
        var prep = prepRecord.StepId;
        var candidates = new List<Candidate>();
        foreach (var record in trained)
        {
            ct.ThrowIfCancellationRequested();
            var schema = StepArtifacts.ReadSchema(StepArtifacts.PathOf(artifacts, record, ArtifactNames.Schema));
            var trainResult = record.Result as TrainResult;
            var trainer = trainResult?.Trainer ?? "?";
            IReadOnlyDictionary<string, double> metrics;
            if (rows.IsPrepTest && trainResult?.MeasuredOn == prep && record.Metrics.Count > 0)
            {
                // The train step scored this model on these very rows: the same numbers, without scoring them again.
                metrics = record.Metrics;
                context.Progress($"{step.Id}: {record.StepId} ({trainer}), as measured by it on the same test set: {StepOutcomes.Describe(metrics)}");
            }
            else
            {
                var model = ModelFile.Load(ml, StepArtifacts.PathOf(artifacts, record, ArtifactNames.Model));
                metrics = new ScoredModel(model, schema, task).Measure(ml, test);
                context.Progress($"{step.Id}: {record.StepId} ({trainer}): {StepOutcomes.Describe(metrics)}");
            }

            candidates.Add(new Candidate(record.StepId, trainer, schema, metrics));
        }

        var best = Best(candidates, primary)
            ?? throw new StepInputException($"no candidate has the primary metric {primary} (trainers: {string.Join(", ", candidates.Select(c => c.Trainer))})");
        var baseline = production is null ? null : ProductionBaseline.Measure(ml, artifacts, production, task, best.Schema, test);
        var metricsOut = new Dictionary<string, double>(best.Metrics, StringComparer.Ordinal);
        foreach (var (name, value) in baseline?.Metrics ?? new Dictionary<string, double>())
        {
            metricsOut[ProductionMetricPrefix + name] = value;
        }

        var result = new EvaluateResult { Chosen = best.StepId, ProductionVersion = baseline?.Metrics is null ? null : baseline.Version.Version };

        var summary = Summary(candidates, best, primary, baseline, rows);
        context.Progress($"{step.Id}: {summary}");
        var slices = MeasureSlices(context, step, ml, test, trained.First(t => t.StepId == best.StepId), best, task, baseline, ct);
        var sliceFailures = SliceGateCheck.Failures(step.SliceGates, slices);
        if (sliceFailures.Count > 0)
        {
            result = result with { SliceFailures = sliceFailures };
        }

        var records = EvaluationRecords.ForEvaluate(context, prepRecord, best.StepId, best.Metrics, production, baseline?.Metrics, rows.Rows, slices, time.GetUtcNow());
        var failures = GateCheck.Failures(step.Gates, best.Metrics, baseline?.Metrics).Concat(sliceFailures.Select(f => f.Describe())).ToList();
        if (failures.Count > 0 && KeptBack.Applies(context, step.Gates, best.Metrics, baseline?.Metrics, sliceFailures.Count > 0))
        {
            // An automated run whose candidate is only not better enough than production: production stays, nothing broke.
            var safety = DeploySafety.HeldBack(step, task, primary, best.Metrics, baseline, rows.Rows, majority);
            var reason = KeptBack.Reason(failures, safety);
            context.Progress($"{step.Id}: {best.StepId} is not to be deployed: {reason}");
            return new Judged(new StepOutcome
            {
                Status = StepStatus.Succeeded,
                Metrics = metricsOut,
                Result = result with { HeldBack = reason },
                Message = $"{summary}; not to be deployed: {reason}",
            }, records);
        }

        if (failures.Count > 0)
        {
            // Judged, not broken: the rows were consumed (the run still advances its watermark).
            return new Judged(new StepOutcome { Status = StepStatus.Failed, Metrics = metricsOut, Result = result with { Rejected = true }, Message = string.Join("; ", failures) }, records);
        }

        var held = DeploySafety.HeldBack(step, task, primary, best.Metrics, baseline, rows.Rows, majority);
        if (held is not null)
        {
            result = result with { HeldBack = held };
            context.Progress($"{step.Id}: {best.StepId} is not to be deployed: {held}");
        }

        return new Judged(new StepOutcome
        {
            Status = StepStatus.Succeeded,
            Metrics = metricsOut,
            Result = result,
            Message = held is null ? summary : $"{summary}; not to be deployed: {held}",
        }, records);
    }

    /// <summary>The chosen candidate and production on every slice of the evaluation rows; none without <c>slices</c>.</summary>
    private IReadOnlyList<SliceMeasure> MeasureSlices(
        StepContext context, EvaluateStep step, MLContext ml, IDataView test, StepRecord chosen, Candidate best, MlTask task, ProductionBaseline? baseline,
        CancellationToken ct)
    {
        if (step.Slices.Count == 0)
        {
            return [];
        }

        var model = new ScoredModel(ModelFile.Load(ml, StepArtifacts.PathOf(artifacts, chosen, ArtifactNames.Model)), best.Schema, task);
        var measured = SliceScores.Measure(ml, SliceRows.Cut(test, step.Slices), model, baseline?.Metrics is null ? null : baseline.Scored, ct);
        context.Progress($"{step.Id}: measured {measured.Count} slices of {string.Join(", ", step.Slices.Select(s => s.Column))}");
        return measured;
    }

    /// <summary>The step's outcome and the numbers it writes to the evaluation store.</summary>
    private sealed record Judged(StepOutcome Outcome, IReadOnlyList<ModelEvaluation> Records);

    private static Candidate? Best(IReadOnlyList<Candidate> candidates, string primary)
    {
        var higher = Metrics.HigherIsBetter(primary);
        Candidate? best = null;
        foreach (var candidate in candidates)
        {
            if (!candidate.Metrics.TryGetValue(primary, out var value))
            {
                continue;
            }

            // Strictly better only, so a tie keeps the earlier candidate in needs order.
            if (best is null || (higher ? value > best.Metrics[primary] : value < best.Metrics[primary]))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static string Summary(IReadOnlyList<Candidate> candidates, Candidate best, string primary, ProductionBaseline? baseline, EvaluationRows rows)
    {
        var others = candidates.Where(c => !ReferenceEquals(c, best))
            .Select(c => $"{c.StepId} {(c.Metrics.TryGetValue(primary, out var v) ? StepOutcomes.Number(v) : "n/a")}")
            .ToList();
        var text = $"chose {best.StepId} ({best.Trainer}) by {primary} {StepOutcomes.Number(best.Metrics[primary])}";
        if (others.Count > 0)
        {
            text += $" over {string.Join(", ", others)}";
        }

        return text + $" on {rows.Description}; " + (baseline?.Note ?? "no production model yet");
    }
}
