using System.Globalization;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The Features page's lookup as the query string gives it (<see cref="DashboardInput"/> has already refused anything
/// that is not one line of text): the view, the entity key (several key columns separated by <c>,</c>, in the view's
/// order) and the time the values are as of (UTC, ISO 8601; default now). <see cref="Problem"/> says what is wrong.
/// </summary>
internal sealed record FeatureQuery(string View, string EntityText, string AtText, IReadOnlyList<string> Entity, DateTimeOffset At, string? Problem)
{
    public static FeatureQuery? Of(string view, string entity, string at, DateTimeOffset now)
    {
        if (view.Length == 0 && entity.Length == 0 && at.Length == 0)
        {
            return null;
        }

        var keys = entity.Split(',', StringSplitOptions.TrimEntries).ToList();
        string? problem = null;
        var time = now;
        if (view.Length == 0)
        {
            problem = "choose a feature view";
        }
        else if (entity.Trim().Length == 0 || keys.Any(k => k.Length == 0))
        {
            problem = "give the entity's key (several key columns separated by ',')";
        }
        else if (at.Length > 0 && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            problem = $"'{at}' is not a date and time; use ISO 8601, e.g. 2025-06-01T00:00:00Z";
        }

        return new FeatureQuery(view, entity, at, keys, time, problem);
    }
}
