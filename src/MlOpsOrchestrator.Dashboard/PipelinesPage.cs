using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Every pipeline file the service knows: level and what blocks the next one, triggers with their next fire times,
/// the last runs, the last replay saved with <c>mlops replay --save</c>, and, for a file that does not load, its errors first.
/// </summary>
internal sealed class PipelinesPage(PipelinesPage.Model model) : DashboardPage("Pipelines")
{
    public const int LastRuns = 5;

    public sealed record Model(string? Folder, IReadOnlyList<Item> Items, bool CanWrite = false, AntiforgeryField? Antiforgery = null);

    public sealed record Item(CatalogEntry Entry, PipelinePlan? Plan, string? PlanError, IReadOnlyList<RunRecord> Runs, SavedReplay? Replay = null);

    public static async Task<DashboardPage> LoadAsync(PageRequest request)
    {
        var services = request.Services;
        if (services.Catalog is not { } catalog)
        {
            return new PipelinesPage(new Model(null, []));
        }

        var now = services.Time.GetUtcNow();
        var items = new List<Item>();
        foreach (var entry in catalog.Entries)
        {
            var (plan, planError) = Plan(entry, now);
            var runs = entry.Name is { } name
                ? (await services.Runs.ListAsync(name, LastRuns, request.Aborted)).Select(r => RunLiveness.Effective(r, now)).ToList()
                : [];
            var replay = entry.Name is { } pipeline && services.Replays is { } replays ? await replays.FindAsync(pipeline, request.Aborted) : null;
            items.Add(new Item(entry, plan, planError, runs, replay));
        }

        return new PipelinesPage(new Model(catalog.Folder, items, request.CanWrite, request.Antiforgery));
    }

    protected override void Render(HtmlBuilder html)
    {
        html.Add($"<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Pipelines</h1>");
        if (model.Folder is null)
        {
            html.Add($"<div class=\"alert alert-info\">This process has no pipeline catalog; pipelines are shown by <code>mlops serve</code>.</div></div></div>");
            return;
        }

        var broken = model.Items.Count(i => i.Entry.Errors.Count > 0);
        html.Add($"<p class=\"text-muted\">{model.Items.Count} file(s) in <code>{model.Folder}</code>");
        if (broken > 0)
        {
            html.Add($" · <strong class=\"text-danger\">{broken} with errors</strong>");
        }

        html.Add($"</p>");
        if (model.Items.Count == 0)
        {
            html.Add($"<div class=\"alert alert-info\">No pipeline files yet: add <code>*.yaml</code> files to the folder.</div>");
        }

        foreach (var item in model.Items.OrderByDescending(i => i.Entry.Errors.Count > 0))
        {
            RenderItem(html, item);
        }

        html.Add($"</div></div>");
    }

    private static (PipelinePlan? Plan, string? Error) Plan(CatalogEntry entry, DateTimeOffset now)
    {
        if (entry.Definition is not { } definition)
        {
            return (null, null);
        }

        try
        {
            return (PlanBuilder.Build(definition, QuartzCronEvaluator.Instance, now), null);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or FormatException or ArgumentException)
        {
            return (null, e.Message);
        }
    }

    private void RenderItem(HtmlBuilder html, Item item)
    {
        var entry = item.Entry;
        var definition = entry.Definition;
        var failing = entry.Errors.Count > 0;
        html.Add($"<div class=\"panel {(failing ? "panel-danger" : "panel-default")} mlops-pipeline\" data-pipeline=\"{entry.Name ?? Path.GetFileName(entry.File)}\">");
        html.Add($"<div class=\"panel-heading\"><h3 class=\"panel-title\">{entry.Name ?? Path.GetFileName(entry.File)} ");
        if (definition is not null)
        {
            html.Add($"{Badges.Level(definition.Maturity.Level)} <small>version {Badges.Short(definition.Version)}</small>");
        }

        html.Add($"</h3></div><div class=\"panel-body\">");
        if (failing)
        {
            RenderErrors(html, entry);
        }

        if (definition is not null)
        {
            var spec = definition.Spec;
            html.Add($"<p>{spec.Description ?? ""} <span class=\"text-muted\">owner {spec.Owner ?? "—"} · <code>{entry.File}</code> · loaded {Badges.Time(entry.LoadedAt)}</span></p>");
            RenderLevel(html, definition.Maturity);
            RenderTriggers(html, item);
            RunLifecycleActions.RenderRunNow(html, spec.Name, spec.Triggers.Select(t => t.Id), model.CanWrite, model.Antiforgery, Link);
            RenderRuns(html, item);
            if (item.Replay is { } replay)
            {
                ReplaySection.Render(html, replay);
            }
        }

        html.Add($"</div></div>");
    }

    private static void RenderErrors(HtmlBuilder html, CatalogEntry entry)
    {
        html.Add($"<div class=\"alert alert-danger mlops-load-errors\"><strong>{Path.GetFileName(entry.File)} does not load: {entry.Errors.Count} error(s).</strong> ");
        html.Add($"{(entry.Definition is null ? "Nothing from this file is scheduled until it is fixed." : "The last valid version below stays scheduled until the file is fixed.")}<ul>");
        foreach (var error in entry.Errors)
        {
            html.Add($"<li><code>{Path.GetFileName(error.File)}:{error.Line}:{error.Column}</code> {(error.Path.Length > 0 ? error.Path + ": " : "")}{error.Message}</li>");
        }

        html.Add($"</ul></div>");
    }

    private static void RenderLevel(HtmlBuilder html, MaturityAssessment maturity)
    {
        html.Add($"<p><strong>Maturity:</strong> {Badges.Level(maturity.Level)}</p>");
        if (maturity.Blockers.Count > 0)
        {
            html.Add($"<ul class=\"mlops-level-reasons\">");
            foreach (var blocker in maturity.Blockers)
            {
                html.Add($"<li>{blocker}</li>");
            }

            html.Add($"</ul>");
        }
    }

    private static void RenderTriggers(HtmlBuilder html, Item item)
    {
        if (item.PlanError is { } error)
        {
            html.Add($"<div class=\"alert alert-warning\">Next fire times unavailable: {error}</div>");
            return;
        }

        if (item.Plan is not { } plan || plan.Triggers.Count == 0)
        {
            html.Add($"<p class=\"text-muted\">No triggers: runs start by hand (<code>mlops run</code>, the API).</p>");
            return;
        }

        html.Add($"<table class=\"table table-condensed mlops-triggers\"><thead><tr><th>Trigger</th><th>Schedule</th><th>Mode</th><th>Next fire times ({plan.Timezone})</th></tr></thead><tbody>");
        foreach (var trigger in plan.Triggers)
        {
            var schedule = trigger.Cron is not null ? $"cron {trigger.Cron}" : $"on {trigger.On}";
            var next = trigger.Next.Count == 0 ? "—" : string.Join(", ", trigger.Next.Select(t => Badges.Time(t)));
            html.Add($"<tr><td>{trigger.Id}</td><td><code>{schedule}</code></td><td>{trigger.Mode}</td><td>{next}</td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    private void RenderRuns(HtmlBuilder html, Item item)
    {
        if (item.Runs.Count == 0)
        {
            html.Add($"<p class=\"text-muted\">No runs yet.</p>");
            return;
        }

        html.Add($"<table class=\"table table-condensed mlops-last-runs\"><thead><tr><th>Last runs</th><th>Trigger</th><th>Status</th><th>Created</th><th>Duration</th></tr></thead><tbody>");
        foreach (var run in item.Runs)
        {
            html.Add($"<tr><td><a href=\"{Link("/runs/" + Segment(run.RunId))}\">{run.RunId}</a></td><td>{run.Trigger}</td><td>{Badges.Status(run.Status)}</td><td>{Badges.Time(run.CreatedAt)}</td><td>{Badges.Duration(run.StartedAt, run.FinishedAt)}</td></tr>");
        }

        html.Add($"</tbody></table><p><a href=\"{Link("/runs?pipeline=" + Segment(item.Entry.Name ?? string.Empty))}\">All runs of this pipeline</a></p>");
    }
}
