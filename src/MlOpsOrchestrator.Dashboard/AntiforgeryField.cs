using Hangfire.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>The hidden form field that carries the request's antiforgery token (Hangfire generated it for this request).</summary>
internal sealed record AntiforgeryField(string Name, string Token)
{
    public static AntiforgeryField? Of(DashboardContext context)
    {
        var options = context.GetHttpContext().RequestServices.GetService<IOptions<AntiforgeryOptions>>();
        return options is null || context.AntiforgeryToken is not { Length: > 0 } token ? null : new(options.Value.FormFieldName, token);
    }

    public Markup Input => HtmlBuilder.Fragment($"<input type=\"hidden\" name=\"{Name}\" value=\"{Token}\">");
}
