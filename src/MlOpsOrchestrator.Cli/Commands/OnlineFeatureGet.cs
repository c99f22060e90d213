using System.Globalization;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops features get VIEW --entity K</c> without <c>--at</c>: the values now, from the online store, as predict by entity key computes them.</summary>
internal static class OnlineFeatureGet
{
    public static async Task<(FeatureValues? Values, string? Problem)> GetAsync(OnlineFeatureReader reader, FeatureViewSpec view, IReadOnlyList<string> entity, DateTimeOffset now, CancellationToken ct)
    {
        if (entity.Count != view.Entity.Count)
        {
            return (null, $"feature view '{view.Name}' is keyed by {view.Entity.Count} column(s) ({string.Join(", ", view.Entity)}); give one --entity value for each, in that order");
        }

        var (state, problem) = await reader.StateAsync(view, ct);
        if (state is null)
        {
            return (null, $"{problem}; or give --at TIME for the values as of a time, from the offline data");
        }

        var names = view.Features.Select(f => f.Name).ToList();
        var values = await reader.ValuesAsync(view, names, entity, now, ct);
        return (new FeatureValues(view.Name, string.Join(", ", entity), now, values.Values, Reused: true, "online", values.Events)
        {
            Online = new OnlineFreshness(state.RefreshedAt, state.Watermark is { } w ? new DateTimeOffset(w, TimeSpan.Zero) : null, values.NewestEvent),
        }, null);
    }

    /// <summary>The stderr line: where the values come from and how fresh they are.</summary>
    public static string Note(FeatureValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var online = values.Online!;
        static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "none";
        return string.Create(CultureInfo.InvariantCulture,
            $"{values.View}: online store, refreshed {Time(online.RefreshedAt)}, watermark {Time(online.Watermark)}; {values.Events:N0} events of the entity, newest {Time(online.NewestEvent)}");
    }
}
