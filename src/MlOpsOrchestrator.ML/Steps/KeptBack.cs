using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// A candidate of an automated run (started by one of the pipeline's own triggers: a schedule, an incremental fire, a
/// retrain) that fails only relative gates (<c>max_increase</c>, <c>max_decrease</c>) is kept back, not failed: it is
/// registered, production stays, and the run succeeds with the gates' verdict as the reason. Nobody watches such a
/// run, and "not better enough than production" is the loop deciding as it should, not something for on-call to fix;
/// a failed run would alert every day the data gives no better model. An absolute gate (<c>min</c>, <c>max</c>) is a
/// floor the author set for any model: its failure still fails the run, and so does any gate of a run a person started
/// (<c>manual</c>, <c>api</c>), who reads the answer at once.
/// </summary>
internal static class KeptBack
{
    /// <summary>True when the failed gates keep the candidate back instead of failing the step.</summary>
    public static bool Applies(
        StepContext context, IReadOnlyList<GateSpec> gates, IReadOnlyDictionary<string, double> candidate, IReadOnlyDictionary<string, double>? production) =>
        production is not null && IsAutomated(context) && GateCheck.OnlyRelativeFail(gates, candidate, production);

    /// <summary>
    /// As <see cref="Applies(StepContext, IReadOnlyList{GateSpec}, IReadOnlyDictionary{string, double}, IReadOnlyDictionary{string, double}?)"/>,
    /// counting a failed slice gate (<c>slice_gates</c>, relative to production on the same slice) as a failed relative gate.
    /// </summary>
    public static bool Applies(
        StepContext context, IReadOnlyList<GateSpec> gates, IReadOnlyDictionary<string, double> candidate, IReadOnlyDictionary<string, double>? production,
        bool sliceFailed) =>
        sliceFailed
            ? production is not null && IsAutomated(context) && (GateCheck.Failures(gates, candidate, production).Count == 0 || GateCheck.OnlyRelativeFail(gates, candidate, production))
            : Applies(context, gates, candidate, production);

    /// <summary>True when one of the pipeline's own triggers started the run (not a person through <c>mlops run</c> or the API).</summary>
    public static bool IsAutomated(StepContext context) =>
        context.Definition.Spec.Triggers.Any(t => string.Equals(t.Id, context.Run.Trigger, StringComparison.Ordinal));

    /// <summary>The failed gates, then every other reason the safety gives.</summary>
    public static string Reason(IReadOnlyList<string> failures, string? safety) =>
        string.Join("; ", failures) + (safety is null ? "" : "; " + safety);
}
