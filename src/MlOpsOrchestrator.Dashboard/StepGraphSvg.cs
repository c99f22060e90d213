using System.Globalization;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The run's steps as the pipeline's DAG, in an inline SVG: one column per group of steps that may run together (in
/// execution order), an arrow for each <c>needs</c>, each box coloured by the step's status (grey when the step is
/// not in the trigger's subset) and linked to its row in the steps table. Nothing external is loaded.
/// </summary>
internal static class StepGraphSvg
{
    private const int BoxWidth = 150;
    private const int BoxHeight = 40;
    private const int ColumnGap = 50;
    private const int RowGap = 16;
    private const int Margin = 8;

    public static Markup Render(StepGraph graph, IReadOnlyDictionary<string, StepRecord> steps, IReadOnlyCollection<string>? subset)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var groups = graph.ParallelGroups();
        var at = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
        for (var column = 0; column < groups.Count; column++)
        {
            for (var row = 0; row < groups[column].Count; row++)
            {
                at[groups[column][row].Id] = (Margin + (column * (BoxWidth + ColumnGap)), Margin + (row * (BoxHeight + RowGap)));
            }
        }

        var width = (Margin * 2) + (groups.Count * BoxWidth) + (Math.Max(0, groups.Count - 1) * ColumnGap);
        var height = (Margin * 2) + (groups.Count == 0 ? 0 : groups.Max(g => g.Count) * (BoxHeight + RowGap)) - RowGap;
        var html = new HtmlBuilder();
        html.Add($"<svg class=\"mlops-step-graph\" role=\"img\" aria-label=\"step graph\" viewBox=\"0 0 {N(width)} {N(Math.Max(height, BoxHeight))}\" width=\"{N(width)}\" style=\"max-width:100%;height:auto\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.Add($"<defs><marker id=\"mlops-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#888\"/></marker></defs>");
        foreach (var step in graph.Steps)
        {
            foreach (var need in step.Needs.Where(at.ContainsKey))
            {
                var (fromX, fromY) = at[need];
                var (toX, toY) = at[step.Id];
                html.Add($"<line class=\"mlops-edge\" data-from=\"{need}\" data-to=\"{step.Id}\" x1=\"{N(fromX + BoxWidth)}\" y1=\"{N(fromY + (BoxHeight / 2))}\" x2=\"{N(toX)}\" y2=\"{N(toY + (BoxHeight / 2))}\" stroke=\"#888\" marker-end=\"url(#mlops-arrow)\"/>");
            }
        }

        foreach (var step in graph.Order())
        {
            var (x, y) = at[step.Id];
            var outside = subset is not null && !subset.Contains(step.Id);
            var status = outside ? "not in this trigger" : steps.TryGetValue(step.Id, out var record) ? StatusNames.Of(record.Status) : "pending";
            var fill = outside ? "#eeeeee" : Fill(status);
            html.Add($"<a href=\"#step-{step.Id}\"><g class=\"mlops-node\" data-step=\"{step.Id}\" data-status=\"{status}\"><title>{step.Id} ({PlanBuilder.KindName(step.Kind)}): {status}</title>");
            html.Add($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(BoxWidth)}\" height=\"{N(BoxHeight)}\" rx=\"4\" fill=\"{fill}\" stroke=\"#999\"/>");
            html.Add($"<text x=\"{N(x + 8)}\" y=\"{N(y + 17)}\" font-size=\"13\" fill=\"{(outside ? "#999" : "#222")}\">{step.Id}</text>");
            html.Add($"<text x=\"{N(x + 8)}\" y=\"{N(y + 33)}\" font-size=\"11\" fill=\"#666\">{PlanBuilder.KindName(step.Kind)} · {status}</text></g></a>");
        }

        html.Add($"</svg>");
        return html.ToMarkup();
    }

    private static string Fill(string status) => status switch
    {
        "succeeded" => "#dff0d8",
        "failed" or "interrupted" => "#f2dede",
        "awaiting_approval" => "#fcf8e3",
        "running" => "#d9edf7",
        _ => "#f5f5f5",
    };

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
