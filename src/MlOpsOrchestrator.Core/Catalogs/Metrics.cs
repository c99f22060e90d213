namespace MlOpsOrchestrator.Catalogs;

/// <summary>
/// The metric names gates, evaluation and monitoring use, per task, and which way is better. Names are the YAML's,
/// so a metric recorded by a run can be compared with the gate that reads it.
/// </summary>
public static class Metrics
{
    private static readonly IReadOnlyDictionary<MlTask, IReadOnlyList<string>> ByTask = new Dictionary<MlTask, IReadOnlyList<string>>
    {
        [MlTask.Binary] = ["auc", "accuracy", "f1", "precision", "recall", "log_loss", "auprc"],
        [MlTask.Multiclass] = ["micro_accuracy", "macro_accuracy", "log_loss"],
        [MlTask.Regression] = ["r_squared", "rmse", "mae"],
    };

    private static readonly HashSet<string> LowerIsBetter = ["log_loss", "rmse", "mae"];

    public static IReadOnlyList<string> For(MlTask task) => ByTask[task];

    public static IReadOnlyList<string> All { get; } = ByTask.Values.SelectMany(m => m).Distinct().ToList();

    public static bool Fits(MlTask task, string metric) => ByTask[task].Contains(metric);

    public static bool HigherIsBetter(string metric) => !LowerIsBetter.Contains(metric);

    /// <summary>The metric that picks the best candidate when the pipeline names none.</summary>
    public static string Default(MlTask task) => task switch
    {
        MlTask.Binary => "auc",
        MlTask.Multiclass => "micro_accuracy",
        _ => "r_squared",
    };
}
