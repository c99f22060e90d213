using System.Globalization;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Refuses, before Hangfire's middleware or any page reads them, a dashboard request whose path, query string or form
/// holds something that is not text (<see cref="InputText"/>): a NUL in a form value would make the antiforgery check
/// throw, and one in <c>?pipeline=</c> would reach PostgreSQL. The answer is a 400 naming the field.
/// </summary>
internal static partial class DashboardInput
{
    /// <summary>Form fields that may span lines (a rejection's reason); every other value is one line.</summary>
    private static readonly HashSet<string> FreeText = new(StringComparer.Ordinal) { "reason" };

    /// <summary>The longest form value: antiforgery tokens and Hangfire's own forms stay well below it.</summary>
    private const int MaxFormValueLength = 4096;

    public static async Task GuardAsync(HttpContext http, RequestDelegate next, PathString dashboard)
    {
        var problem = Problem(http.Request);
        if (problem is null && UnknownJob(http, dashboard) is { } unknown)
        {
            await Answer(http, StatusCodes.Status404NotFound, unknown);
            return;
        }

        if (problem is null && http.Request.HasFormContentType)
        {
            try
            {
                problem = Problem(await http.Request.ReadFormAsync(http.RequestAborted));
            }
            catch (BadHttpRequestException)
            {
                throw; // Too large, or cut short: the host's exception handler answers with its status (413, 400).
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                problem = $"the form cannot be read: {ex.Message}";
            }
        }

        if (problem is null)
        {
            await next(http);
            return;
        }

        await Answer(http, StatusCodes.Status400BadRequest, problem);
    }

    /// <summary>
    /// Hangfire's job pages hand the id to the storage as it is, and the PostgreSQL storage parses it as a number
    /// (throwing on anything else): an id that cannot be a job of this storage is a 404 here.
    /// </summary>
    private static string? UnknownJob(HttpContext http, PathString dashboard)
    {
        if (!http.Request.Path.StartsWithSegments(dashboard, StringComparison.OrdinalIgnoreCase, out var rest)
            || JobPath().Match(rest.Value ?? "") is not { Success: true } match)
        {
            return null;
        }

        var id = match.Groups["id"].Value;
        var storage = http.RequestServices.GetService<JobStorage>();
        return storage is PostgreSqlStorage && !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? $"no job '{id}': the ids of jobs are numbers"
            : null;
    }

    private static async Task Answer(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message, http.RequestAborted);
    }

    private static string? Problem(HttpRequest request)
    {
        foreach (var segment in (request.Path.Value ?? "").Split('/'))
        {
            if (InputText.LineProblem(segment, decoded: true) is { } problem)
            {
                return $"the path {problem}";
            }
        }

        foreach (var (key, values) in request.Query)
        {
            if (Field("query string", key, values, multiline: false, InputText.MaxLineLength) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Problem(IFormCollection form)
    {
        foreach (var (key, values) in form)
        {
            if (Field("form", key, values, FreeText.Contains(key), MaxFormValueLength) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    [GeneratedRegex("^/jobs/(details|actions/requeue|actions/delete)/(?<id>[^/]+)/?$", RegexOptions.IgnoreCase)]
    private static partial Regex JobPath();

    private static string? Field(string where, string key, StringValues values, bool multiline, int maxLength)
    {
        if (InputText.LineProblem(key, InputText.MaxNameLength, decoded: true) is { } keyProblem)
        {
            return $"a {where} field's name {keyProblem}";
        }

        foreach (var value in values)
        {
            var problem = value is null ? null
                : multiline ? InputText.TextProblem(value, maxLength, decoded: true)
                : InputText.LineProblem(value, maxLength, decoded: true);
            if (problem is not null)
            {
                return $"'{key}' in the {where} {problem}";
            }
        }

        return null;
    }
}
