namespace MlOpsOrchestrator.Dashboard;

/// <summary>An outcome worth a page of its own: an unknown run, a refused decision.</summary>
internal sealed class MessagePage(string title, string message, string? backPath = null, string? backText = null) : DashboardPage(title)
{
    protected override void Render(HtmlBuilder html)
    {
        html.Add($"<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">{Title}</h1>");
        html.Add($"<div class=\"alert alert-warning mlops-message\">{message}</div>");
        if (backPath is not null)
        {
            html.Add($"<p><a class=\"btn btn-default\" href=\"{Link(backPath)}\">{backText ?? "Back"}</a></p>");
        }

        html.Add($"</div></div>");
    }
}
