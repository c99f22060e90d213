using Hangfire;
using Hangfire.Dashboard;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Adds the project's pages, actions and menu items to Hangfire's dashboard. Hangfire keeps routes and menu in static
/// collections shared by every dashboard of the process, so this happens once; each request still resolves its own
/// host's services.
/// </summary>
internal static class DashboardRegistration
{
    private const string Segment = "[^/]+";
    private static readonly Lock Gate = new();
    private static bool _registered;

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            var routes = DashboardRoutes.Routes;
            routes.Add("/pipelines", new PageDispatcher(PipelinesPage.LoadAsync));
            routes.Add("/runs", new PageDispatcher(RunsPage.LoadAsync));
            routes.Add($"/runs/(?<id>{Segment})", new PageDispatcher(RunPage.LoadAsync));
            routes.Add($"/runs/(?<id>{Segment})/steps/(?<step>{Segment})/(?<decision>approve|reject)", new ActionDispatcher(RunActions.DecideAsync));
            routes.Add($"/runs/(?<id>{Segment})/(?<action>cancel|resume|retry)", new ActionDispatcher(RunLifecycleActions.ActAsync));
            routes.Add($"/pipelines/(?<name>{Segment})/run", new ActionDispatcher(RunLifecycleActions.StartAsync));
            routes.Add("/models", new PageDispatcher(ModelsPage.LoadAsync));
            routes.Add($"/models/(?<name>{Segment})", new PageDispatcher(ModelPage.LoadAsync));
            routes.Add($"/models/(?<name>{Segment})/(?<action>promote|rollback|withdraw)", new ActionDispatcher(ModelActions.MoveAsync));
            routes.Add("/features", new PageDispatcher(FeaturesPage.LoadAsync));

            NavigationMenu.Items.Add(page => Item(page, "Pipelines", "/pipelines"));
            NavigationMenu.Items.Add(page => Item(page, "Runs", "/runs"));
            NavigationMenu.Items.Add(page => Item(page, "Models", "/models"));
            NavigationMenu.Items.Add(page => Item(page, "Features", "/features"));
            GlobalConfiguration.Configuration.UseJobDetailsRenderer(10, RunJobLink.Render);
            _registered = true;
        }
    }

    private static MenuItem Item(RazorPage page, string text, string path) =>
        new(text, page.Url.To(path)) { Active = page.RequestPath.StartsWith(path, StringComparison.OrdinalIgnoreCase) };
}
