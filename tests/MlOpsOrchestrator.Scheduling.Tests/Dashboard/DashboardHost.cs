using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Dashboard;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Scheduling.Tests.Hangfire;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

/// <summary>
/// A real ASP.NET Core host on Kestrel at 127.0.0.1 (a free port) with the execution queue (Hangfire in memory, one
/// server) and the dashboard, over real stores. Requests are loopback; a test-only header makes the host treat a
/// request as coming from another address, so the token rules are exercised without sending traffic anywhere else.
/// </summary>
public sealed partial class DashboardHost : IAsyncDisposable
{
    public const string ApiToken = "api-secret-token";
    public const string ViewerToken = "viewer-secret-token";

    /// <summary>Test only: the remote address the host should pretend a request came from.</summary>
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    private DashboardHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<DashboardHost> StartAsync(StorageSet storage, ChurnWorld world)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = world.Home, EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddRunServices(storage, world, new AccessPolicy(ApiToken, ViewerToken));
        builder.Services.AddSingleton(new SavedReplays(world.Home));
        builder.Services.AddSingleton(storage.Evaluations);
        builder.Services.AddSingleton(Feedback.IOnlineMetrics.Create(storage.Feedback, TimeProvider.System));
        builder.Services.AddSingleton(new RunLogs(Path.Combine(world.Home, "logs")));
        builder.Services.AddMlOpsExecution(new ExecutionSettings { RunServer = true, WorkerCount = 2 });
        var app = builder.Build();
        app.Urls.Clear();
        app.Urls.Add("http://127.0.0.1:0");
        app.Use((context, next) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[RemoteAddressHeader].ToString(), out var remote))
            {
                context.Connection.RemoteIpAddress = remote;
            }

            return next(context);
        });
        app.UseMlOpsDashboard();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new DashboardHost(app, new Uri(address));
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects.</summary>
    public HttpClient Client(string? remoteAddress = null, AuthenticationHeaderValue? authorization = null)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (remoteAddress is not null)
        {
            client.DefaultRequestHeaders.Add(RemoteAddressHeader, remoteAddress);
        }

        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>The antiforgery token of a page: from a form's hidden field, else from the layout's <c>csrf-token</c> meta tag (what the stock pages' scripts send).</summary>
    public static string? Token(string html)
    {
        var match = FormToken().Match(html);
        if (!match.Success)
        {
            match = LayoutToken().Match(html);
        }

        return match.Success ? WebUtility.HtmlDecode(match.Groups["token"].Value) : null;
    }

    /// <summary>A form POST as a browser on this dashboard sends it: same Origin, the antiforgery field when given.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string? token, IEnumerable<KeyValuePair<string, string>>? fields = null, string? origin = null)
    {
        var values = new List<KeyValuePair<string, string>>(fields ?? []);
        if (token is not null)
        {
            values.Add(new("__RequestVerificationToken", token));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(values) };
        request.Headers.Add("Origin", origin ?? Address.GetLeftPart(UriPartial.Authority));
        return await client.SendAsync(request);
    }

    public static async Task<string> ReadAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"(?<token>[^\"]+)\"")]
    private static partial Regex LayoutToken();
}
