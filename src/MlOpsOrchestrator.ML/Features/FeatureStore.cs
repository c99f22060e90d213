using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// The offline feature store as the command line uses it: a view's values for one entity as of a time (time travel
/// over the materialized events, with the same aggregation code the training join runs), the exact point-in-time
/// training set of a pipeline, and the materializations a view has.
/// </summary>
public sealed class FeatureStore(IArtifactStore artifacts, SourceReaders sources)
{
    private readonly EventLogStore _logs = new(artifacts, sources);

    /// <summary>The features of <paramref name="entity"/> (its key columns' values, in the view's order) as of <paramref name="at"/>.</summary>
    public async Task<(FeatureValues? Values, string? Problem)> GetAsync(FeatureViewSpec view, IReadOnlyList<string> entity, DateTimeOffset at, Action<string> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(entity);
        if (entity.Count != view.Entity.Count)
        {
            return (null, $"feature view '{view.Name}' is keyed by {view.Entity.Count} column(s) ({string.Join(", ", view.Entity)}); give one --entity value for each, in that order");
        }

        var (log, problem) = await _logs.GetAsync(view, progress, ct);
        if (log is null)
        {
            return (null, problem);
        }

        var names = view.Features.Select(f => f.Name).ToList();
        var aggregator = new ViewAggregator(view, names);
        var values = new double[names.Count];
        var ticks = at.UtcTicks;
        if (log.Entities.Find(string.Join(EntityIds.Separator, entity)) is { } id)
        {
            using var events = log.Open();
            while (events.Next() && events.Entity <= id)
            {
                if (events.Entity == id && events.Ticks <= ticks)
                {
                    aggregator.Add(events.Ticks, events.Values);
                }
            }
        }

        aggregator.ValuesAt(ticks, values);
        var byName = names.Select((n, i) => (n, v: double.IsNaN(values[i]) ? (double?)null : values[i])).ToDictionary(x => x.n, x => x.v, StringComparer.Ordinal);
        return (new FeatureValues(view.Name, string.Join(", ", entity), at, byName, log.Reused, log.Key, log.Events), null);
    }

    /// <summary>
    /// Writes the training set a run of a pipeline with <paramref name="data"/> would prepare from (its label rows and
    /// feature columns, as of each row's time) to <paramref name="output"/>; with <paramref name="at"/>, only the rows
    /// at or before it. Returns what was materialized or reused, or the problem.
    /// </summary>
    public async Task<(FeatureExport? Export, string? Problem)> ExportAsync(DataSpec data, string output, DateTimeOffset? at, Action<string> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features.Count == 0)
        {
            return (null, "the pipeline names no features (data.features); its training set is its source as it is");
        }

        var (set, problem) = await new TrainingSetBuilder(sources, _logs).BuildAsync(data, progress, ct, at);
        if (set is null)
        {
            return (null, problem);
        }

        using (set)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
            Directory.CreateDirectory(folder);
            var temp = Path.Combine(folder, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.tmp");
            File.Copy(set.Path, temp);
            File.Move(temp, output, overwrite: true);
            return (new FeatureExport(set.Notes, set.Logs.Sum(l => l.RowsRead), set.Logs.Count(l => l.Reused)), null);
        }
    }

    /// <summary>
    /// The view's materializations, newest first, from the artifact store's listing (so a node sees those any node wrote
    /// when artifacts live in the database); <c>Current</c> says whether one is of the csv source as it is now (null for
    /// other sources: known when read).
    /// </summary>
    public async Task<IReadOnlyList<FeatureMaterialization>> MaterializationsAsync(FeatureViewSpec view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        var current = EventLogStore.CurrentKey(view);
        return [.. (await artifacts.ListAsync($"features/{view.Name}", ct))
            .Select(e => (Entry: e, Parts: e.Path.Split('/')))
            .Where(x => x.Parts.Length == 4 && x.Parts[3] == "info.json")
            .OrderByDescending(x => x.Entry.Written)
            .Select(x => new FeatureMaterialization(x.Parts[2], x.Entry.Written, EventLogStore.EventsOf(artifacts.PathOf(x.Entry.Path)), current is null ? null : current == x.Parts[2]))];
    }
}
