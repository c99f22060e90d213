using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// What data_prep does for <c>data.features</c>: each source of label rows is replaced by its point-in-time training
/// set (a CSV of the same columns plus one per feature), which then flows through typing, checks, split and writing
/// unchanged. The step's message says per view whether its events were materialized or reused, and the
/// <c>feature_source_rows_read</c> metric counts the view source rows this run read.
/// </summary>
internal sealed class FeatureJoin(StepContext context, SourceReaders sources, IArtifactStore artifacts)
{
    private readonly DataSpec _data = context.Definition.Spec.Data;
    private readonly List<TrainingSet> _sets = [];
    private readonly EventLogStore _logs = new(artifacts, sources);

    /// <summary>Why a training set could not be built; null while all went well.</summary>
    public string? Problem { get; private set; }

    /// <summary>The features the prepared data holds, for the schema (null without <c>data.features</c>).</summary>
    public IReadOnlyList<DatasetFeature>? Columns => _data.Features.Count == 0
        ? null
        : [.. _data.Features.Select(f => new DatasetFeature(f.View, f.Feature, f.Column, _data.FeatureViews.First(v => v.Name == f.View).Hash))];

    /// <summary><paramref name="labels"/> itself without features, else its training set as a csv source (null on a problem).</summary>
    public async Task<SourceSpec?> SourceAsync(SourceSpec labels, CancellationToken ct)
    {
        if (_data.Features.Count == 0)
        {
            return labels;
        }

        if (Problem is not null)
        {
            return null;
        }

        var (set, problem) = await new TrainingSetBuilder(sources, _logs).BuildAsync(_data with { Source = labels }, context.Progress, ct);
        if (set is null)
        {
            Problem = problem;
            return null;
        }

        _sets.Add(set);
        foreach (var note in set.Notes)
        {
            context.Progress(note);
        }

        return new SourceSpec { Type = SourceType.Csv, Path = set.Path, Mark = labels.Mark };
    }

    /// <summary>The step's outcome with the views' notes and the source rows they read.</summary>
    public StepOutcome Annotate(StepOutcome outcome)
    {
        if (_sets.Count == 0)
        {
            return outcome;
        }

        var logs = _sets[0].Logs;
        var metrics = new Dictionary<string, double>(outcome.Metrics)
        {
            ["feature_source_rows_read"] = _sets.SelectMany(s => s.Logs).Sum(l => (double)l.RowsRead),
        };
        var text = string.Join("; ", logs.Select(l => l.Reused
            ? string.Create(CultureInfo.InvariantCulture, $"{l.View.Name} reused ({l.Events:N0} events, materialization {l.Key[..12]})")
            : string.Create(CultureInfo.InvariantCulture, $"{l.View.Name} materialized ({l.Events:N0} events from {l.RowsRead:N0} rows, {l.Key[..12]})")));
        return outcome with { Message = $"{outcome.Message}; features: {text}", Metrics = metrics };
    }

    /// <summary>Deletes the training sets written (the step calls it when done, however it ended).</summary>
    public void DeleteFiles()
    {
        foreach (var set in _sets)
        {
            set.Dispose();
        }
    }
}
