using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>The YAML words of <see cref="MlTask"/>, as train steps record them in their <c>task</c> output.</summary>
internal static class TaskNames
{
    public static string Of(MlTask task) => task switch
    {
        MlTask.Binary => "binary",
        MlTask.Multiclass => "multiclass",
        _ => "regression",
    };

    public static bool TryParse(string? text, out MlTask task)
    {
        switch (text)
        {
            case "binary": task = MlTask.Binary; return true;
            case "multiclass": task = MlTask.Multiclass; return true;
            case "regression": task = MlTask.Regression; return true;
            default: task = default; return false;
        }
    }
}
