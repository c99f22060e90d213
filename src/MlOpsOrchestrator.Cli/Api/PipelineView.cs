using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Planning;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// A pipeline file as the running service holds it (<c>GET /api/pipelines[/{name}]</c>): the plan of its last valid
/// definition (level and reasons, steps, triggers with their next fire times), its latest runs, and the errors of
/// the file as it is now. <c>scheduled</c> with errors means an invalid edit is ignored and the last valid version
/// still runs; not scheduled means the file never loaded.
/// </summary>
internal sealed record PipelineView(
    string? Name,
    string File,
    bool Scheduled,
    string? Description,
    string? Owner,
    string? Version,
    int? Level,
    string? LevelName,
    IReadOnlyList<string> LevelReasons,
    string? Timezone,
    IReadOnlyList<string> Order,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlyList<TriggerView> Triggers,
    DateTimeOffset LoadedAt,
    IReadOnlyList<RunView> LastRuns,
    IReadOnlyList<LoadErrorView> Errors)
{
    public static PipelineView From(CatalogEntry entry, string folder, PipelinePlan? plan, IReadOnlyList<TriggerView> triggers, IReadOnlyList<RunView> lastRuns)
    {
        var file = Path.GetRelativePath(folder, entry.File);
        var errors = entry.Errors.Select(e => new LoadErrorView(file, e.Line, e.Column, e.Path, e.Message)).ToList();
        if (entry.Definition is not { } definition || plan is null)
        {
            return new PipelineView(null, file, false, null, null, null, null, null, [], null, [], [], [], entry.LoadedAt, lastRuns, errors);
        }

        return new PipelineView(
            plan.Pipeline, file, true, definition.Spec.Description, definition.Spec.Owner, plan.Version, plan.Level, plan.LevelName,
            plan.LevelReasons, plan.Timezone, plan.Order, plan.Steps, triggers, entry.LoadedAt, lastRuns, errors);
    }
}

/// <summary>
/// A trigger and when it fires next (UTC). <c>scheduled</c>: Quartz holds it, and <c>next</c> is what Quartz will do;
/// otherwise (not yet synchronized, or an <c>on:</c> event trigger) <c>next</c> is computed from the cron.
/// </summary>
internal sealed record TriggerView(string Id, string? Cron, string? On, string Mode, IReadOnlyList<string>? Steps, bool Scheduled, IReadOnlyList<DateTimeOffset> Next);

/// <summary>One problem of a pipeline file, as <c>mlops validate --json</c> reports it.</summary>
internal sealed record LoadErrorView(string File, int Line, int Column, string Path, string Message);
