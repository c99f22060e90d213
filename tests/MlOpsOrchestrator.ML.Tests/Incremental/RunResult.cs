using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>A finished run: its record, its steps by id, and every progress message.</summary>
internal sealed record RunResult(RunRecord Run, IReadOnlyDictionary<string, StepRecord> Steps, IReadOnlyList<string> Progress)
{
    public StepRecord this[string stepId] => Steps[stepId];

    /// <summary>Why the run is not what a test expected: status, error and every step's status and note.</summary>
    public string Describe() =>
        $"run {StatusNames.Of(Run.Status)} {Run.Error}\n" + string.Join("\n", Steps.Values.Select(s =>
            $"  {s.StepId}: {StatusNames.Of(s.Status)} {s.Error} {s.Result?.Note}"));
}
