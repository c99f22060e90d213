using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Retention;

/// <summary>
/// Deletes what <c>retention:</c> no longer keeps, for <c>mlops gc</c> and <c>serve</c>'s hourly collection alike.
/// Per model (under the retention of the pipeline that made its newest version, or the default): versions beyond the
/// newest <c>keep_versions</c> that no alias points to now or pointed to within <c>keep_aliased_for</c>; per pipeline:
/// runs that ended before <c>keep_runs_for</c> and made no version still registered, with their steps and the artifact
/// files of those steps that no remaining version uses.
/// </summary>
/// <remarks>
/// Safe beside running runs and promotions: a run that has not ended, and the versions it registered, are never
/// touched; the registry refuses to delete a version an alias points to when it deletes (a promotion racing the
/// collection wins), and a run whose version survived is kept. Order: version rows, then for each run its files, then
/// its rows: a crash leaves, at worst, an old ended run with fewer files, which the next collection deletes.
/// </remarks>
public sealed class GarbageCollector(
    IModelRegistry registry,
    IRunRepository runs,
    IRunExecutionStore execution,
    IArtifactStore artifacts,
    RunDefinitionLoader definitions,
    RetentionSpec defaults,
    TimeProvider time,
    ILogger<GarbageCollector> logger)
{
    private const int Unlimited = 1_000_000;

    public async Task<GarbageReport> CollectAsync(bool dryRun, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var retention = new Dictionary<string, RetentionSpec>(StringComparer.Ordinal);
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pipeline in await runs.ListPipelinesAsync(ct))
        {
            var latest = await runs.ListAsync(pipeline, 1, ct);
            var loaded = latest.Count > 0 ? definitions.Load(latest[0]) : null;
            if (loaded?.Definition is { } definition)
            {
                retention[pipeline] = definition.Spec.Retention ?? defaults;
            }
            else
            {
                // Its retention is unknown (the newest run's YAML no longer loads here, e.g. a variable it needs is not
                // set): keeping everything of it is the only choice that cannot delete what its author meant to keep.
                unreadable.Add(pipeline);
                logger.LogWarning("Garbage collection skips pipeline {Pipeline}: the definition of its newest run does not load here, so its retention is unknown", pipeline);
            }
        }

        var inFlight = (await runs.FindAsync(new RunQuery { Statuses = RunStatuses.NotEnded, Limit = Unlimited }, ct)).Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);

        // 1. Versions.
        var deletedVersions = new List<GarbageVersion>();
        var remaining = new List<ModelVersion>();
        foreach (var model in await registry.ListNamesAsync(ct))
        {
            var versions = await registry.ListVersionsAsync(model, ct);
            var owner = versions.Count == 0 ? null : await runs.GetAsync(versions[^1].RunId, ct);
            if (owner is not null && unreadable.Contains(owner.Pipeline))
            {
                remaining.AddRange(versions);
                continue;
            }

            var rule = owner is not null && retention.TryGetValue(owner.Pipeline, out var own) ? own : defaults;
            var doomed = RetentionPlan.VersionsToDelete(
                versions, await registry.GetAliasesAsync(model, ct), await registry.GetAliasHistoryAsync(model, ct), inFlight, rule, now);
            var deleted = new HashSet<int>();
            foreach (var version in doomed)
            {
                if (dryRun || await registry.DeleteVersionAsync(model, version.Version, ct))
                {
                    deleted.Add(version.Version);
                    deletedVersions.Add(new GarbageVersion(model, version.Version, version.RunId, version.CreatedAt));
                }
            }

            remaining.AddRange(versions.Where(v => !deleted.Contains(v.Version)));
        }

        // 2. Runs, and the files of their steps that no remaining version uses.
        var producers = remaining.Select(v => v.RunId).ToHashSet(StringComparer.Ordinal);
        var used = remaining.SelectMany(v => v.Properties.Values.Prepend(v.ArtifactPath)).ToHashSet(StringComparer.Ordinal);
        var deletedRuns = new List<GarbageRun>();
        var deletedFiles = new List<string>();
        foreach (var (pipeline, rule) in retention)
        {
            var before = now - rule.KeepRunsFor;
            var old = (await runs.FindAsync(new RunQuery { Pipeline = pipeline, Statuses = RunStatuses.Ended, Limit = Unlimited }, ct))
                .Where(r => (r.FinishedAt ?? r.CreatedAt) < before && !producers.Contains(r.RunId) && !inFlight.Contains(r.RunId));
            foreach (var run in old)
            {
                var files = (await runs.GetStepsAsync(run.RunId, ct))
                    .SelectMany(s => s.Artifacts.Values).Where(f => f.Length > 0 && !used.Contains(f)).Distinct(StringComparer.Ordinal).ToList();
                if (!dryRun)
                {
                    var outcomes = new List<(string File, bool? Deleted)>();
                    foreach (var file in files)
                    {
                        outcomes.Add((file, await DeleteArtifactAsync(file, ct)));
                    }

                    if (outcomes.Any(o => o.Deleted is null) || !await execution.DeleteEndedRunAsync(run.RunId, ct))
                    {
                        continue; // A file that would not go keeps its run, so no file is left without the row it belongs to.
                    }

                    files = [.. outcomes.Where(o => o.Deleted == true).Select(o => o.File)];
                }

                deletedFiles.AddRange(files);
                deletedRuns.Add(new GarbageRun(run.RunId, run.Pipeline, StatusNames.Of(run.Status), run.FinishedAt));
            }
        }

        if (!dryRun && (deletedVersions.Count > 0 || deletedRuns.Count > 0))
        {
            logger.LogInformation("Garbage collection deleted {Versions} model versions, {Runs} runs and {Files} artifact files",
                deletedVersions.Count, deletedRuns.Count, deletedFiles.Count);
        }

        return new GarbageReport { DryRun = dryRun, Versions = deletedVersions, Runs = deletedRuns, Artifacts = deletedFiles };
    }

    /// <summary>Deletes one artifact: true when deleted, false when it was not there, null when it could not be deleted.</summary>
    private async Task<bool?> DeleteArtifactAsync(string relative, CancellationToken ct)
    {
        try
        {
            return await artifacts.DeleteAsync(relative, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Data.Common.DbException)
        {
            logger.LogWarning("Garbage collection could not delete artifact {Artifact}: {Problem}; its run is kept until it can", relative, ex.Message);
            return null;
        }
    }
}
