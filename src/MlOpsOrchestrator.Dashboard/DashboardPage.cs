using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// A project page inside the stock dashboard's layout (menu, styles). The data is loaded before rendering, because
/// Hangfire renders pages synchronously; <see cref="Render"/> only writes HTML.
/// </summary>
internal abstract class DashboardPage : RazorPage
{
    protected DashboardPage(string title)
    {
        Title = title;
        Layout = new LayoutPage(title);
    }

    public string Title { get; }

    public sealed override void Execute()
    {
        var html = new HtmlBuilder();
        Render(html);
        WriteLiteral(html.ToString());
    }

    protected abstract void Render(HtmlBuilder html);

    /// <summary>The URL of a dashboard path (under the dashboard's own prefix); encoded where it is written.</summary>
    protected string Link(string path) => Url.To(path);

    protected static string Segment(string value) => Uri.EscapeDataString(value);
}
