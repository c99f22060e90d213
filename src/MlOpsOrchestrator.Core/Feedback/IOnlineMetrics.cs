using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Feedback;

/// <summary>
/// The one computation of online metrics, used by the API, the CLI, the dashboard and <see cref="IOnlinePromotion"/>:
/// the window's logged answers joined (in the database) with the labels fed back, grouped by alias and version.
/// </summary>
public interface IOnlineMetrics
{
    /// <summary>The windows a front end offers, by name.</summary>
    static IReadOnlyDictionary<string, TimeSpan> Windows { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["1h"] = TimeSpan.FromHours(1),
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
    };

    /// <summary>The window a front end shows when none is asked for.</summary>
    const string DefaultWindow = "24h";

    /// <summary>The metrics of answers logged at or after <paramref name="since"/>.</summary>
    Task<OnlineReport> ComputeAsync(string model, DateTimeOffset since, CancellationToken ct);

    static IOnlineMetrics Create(IFeedbackStore store, TimeProvider time) => new OnlineMetrics(store, time);
}
