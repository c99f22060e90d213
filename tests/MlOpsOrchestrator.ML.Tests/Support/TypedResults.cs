using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Support;

/// <summary>A step's typed result, failing the test with the step's message when it is not of the expected kind.</summary>
internal static class TypedResults
{
    public static PrepResult Prep(this StepOutcome outcome) => Of<PrepResult>(outcome.Result, outcome.Message);
    public static PrepResult Prep(this StepRecord record) => Of<PrepResult>(record.Result, record.Error);
    public static TrainResult Train(this StepOutcome outcome) => Of<TrainResult>(outcome.Result, outcome.Message);
    public static TrainResult Train(this StepRecord record) => Of<TrainResult>(record.Result, record.Error);
    public static EvaluateResult Evaluate(this StepOutcome outcome) => Of<EvaluateResult>(outcome.Result, outcome.Message);
    public static EvaluateResult Evaluate(this StepRecord record) => Of<EvaluateResult>(record.Result, record.Error);
    public static DeployResult Deploy(this StepOutcome outcome) => Of<DeployResult>(outcome.Result, outcome.Message);
    public static DeployResult Deploy(this StepRecord record) => Of<DeployResult>(record.Result, record.Error);
    public static MonitorResult Monitor(this StepOutcome outcome) => Of<MonitorResult>(outcome.Result, outcome.Message);
    public static RetrainResult Retrain(this StepOutcome outcome) => Of<RetrainResult>(outcome.Result, outcome.Message);

    /// <summary>The note the run executor recorded (the step's redacted message).</summary>
    public static string? Note(this StepRecord record) => record.Result?.Note;

    /// <summary>An instant as the step's <c>outputs</c> show it (<c>2025-03-21T23:00:00Z</c>).</summary>
    public static string? Iso(DateTimeOffset? instant) => instant is { } value ? StepOutputs.Instant(value) : null;

    /// <summary>A model version as messages name it (<c>churn v1</c>).</summary>
    public static string? Label(ModelRef? model) => model is null ? null : $"{model.Name} v{model.Version}";

    private static T Of<T>(StepResult? result, string? message)
        where T : StepResult =>
        result as T ?? throw new AssertionException($"expected a {typeof(T).Name}, got {result?.GetType().Name ?? "no result"}: {message}");
}
