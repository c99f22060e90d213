namespace MlOpsOrchestrator.Specs;

/// <summary>
/// <c>promote_when: { metric: rmse, better_by: 2%, min_labels: 500, within: 7d }</c> on a deploy step that places a
/// challenger (<c>canary</c> or <c>shadow</c>): once both the challenger and production have at least
/// <see cref="MinLabels"/> labelled requests since the challenger's alias moved, the challenger replaces production when
/// its online <see cref="Metric"/> is better by at least <see cref="BetterBy"/> (relative), and is withdrawn when it is
/// worse; when <see cref="Within"/> passes without a win it is withdrawn.
/// </summary>
/// <param name="Metric">An online metric: <c>rmse</c>, <c>mae</c> (lower is better), <c>accuracy</c>, <c>micro_accuracy</c>.</param>
/// <param name="BetterBy">The relative improvement needed, as a fraction (<c>2%</c> is 0.02).</param>
/// <param name="MinLabels">Labelled requests each side needs before anything is decided.</param>
/// <param name="Within">How long the challenger has to win, from when its alias moved.</param>
/// <param name="Mark">Where it is written.</param>
public sealed record PromoteWhen(string Metric, double BetterBy, int MinLabels, TimeSpan Within, SourceMark Mark)
{
    /// <summary>The metrics online evaluation computes, which <c>promote_when</c> may name.</summary>
    public static IReadOnlyList<string> OnlineMetrics { get; } = ["rmse", "mae", "accuracy", "micro_accuracy"];

    public const int DefaultMinLabels = 500;

    /// <summary>The online metrics of a task: what the answers and labels of that task let online evaluation compute.</summary>
    public static IReadOnlyList<string> For(Catalogs.MlTask task) => task switch
    {
        Catalogs.MlTask.Regression => ["rmse", "mae"],
        Catalogs.MlTask.Binary => ["accuracy"],
        _ => ["micro_accuracy"],
    };
}
