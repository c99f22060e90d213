using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Loading;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// Logs what a catalog refresh found: pipelines added, changed and removed, and each broken file once per distinct
/// first error (a file that stays broken is not reported again on every rescan).
/// </summary>
internal sealed class CatalogReport(ILogger<CatalogReport> logger)
{
    private readonly Dictionary<string, string> _reportedErrors = new(StringComparer.Ordinal);

    public void Changes(CatalogChange change)
    {
        foreach (var entry in change.Added)
        {
            logger.LogInformation("Pipeline {Pipeline} loaded from {File}", entry.Name, entry.File);
        }

        foreach (var entry in change.Updated)
        {
            logger.LogInformation("Pipeline {Pipeline} changed in {File}", entry.Name, entry.File);
        }

        foreach (var entry in change.Removed)
        {
            logger.LogInformation("Pipeline {Pipeline} removed: {File} is gone", entry.Name, entry.File);
        }
    }

    public void InvalidFiles(IReadOnlyList<CatalogEntry> entries)
    {
        foreach (var file in _reportedErrors.Keys.Where(f => !entries.Any(e => e.File == f && e.Errors.Count > 0)).ToList())
        {
            _reportedErrors.Remove(file);
        }

        foreach (var entry in entries.Where(e => e.Errors.Count > 0))
        {
            var first = entry.Errors[0];
            var summary = $"{first.Line}:{first.Column}: {first.Message}";
            if (_reportedErrors.TryGetValue(entry.File, out var reported) && reported == summary)
            {
                continue;
            }

            _reportedErrors[entry.File] = summary;
            if (entry.Definition is null)
            {
                logger.LogWarning("Pipeline file {File} is invalid ({ErrorCount} errors, first {Error}); nothing is scheduled from it", entry.File, entry.Errors.Count, summary);
            }
            else
            {
                logger.LogWarning("Pipeline {Pipeline} in {File} is invalid ({ErrorCount} errors, first {Error}); its last valid version stays scheduled", entry.Name, entry.File, entry.Errors.Count, summary);
            }
        }
    }
}
