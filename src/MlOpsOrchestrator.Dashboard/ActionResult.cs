namespace MlOpsOrchestrator.Dashboard;

/// <summary>What an action did: go to a page (303), or show why it could not (400/404 with a message page).</summary>
internal sealed record ActionResult(string? RedirectPath, int StatusCode, DashboardPage? Page)
{
    public static ActionResult Redirect(string path) => new(path, 303, null);

    public static ActionResult Problem(int statusCode, string title, string message, string backPath, string backText) =>
        new(null, statusCode, new MessagePage(title, message, backPath, backText));
}
