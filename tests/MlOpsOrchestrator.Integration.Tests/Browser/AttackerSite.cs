using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// A web site of another origin (a second Kestrel on another loopback port) serving one page, as an attacker's site
/// would serve it to the operator's browser. Loopback only.
/// </summary>
internal sealed class AttackerSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AttackerSite(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41235/</c>: the page is at the root.</summary>
    public Uri Root { get; }

    public static async Task<AttackerSite> StartAsync(string html)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
        await app.StartAsync();
        return new AttackerSite(app, new Uri(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
