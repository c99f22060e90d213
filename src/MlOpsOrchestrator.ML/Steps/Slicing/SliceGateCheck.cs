using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Steps.Slicing;

/// <summary>
/// Judges every slice gate on every slice with at least the gate's <c>min_rows</c> rows, as relative gates are judged
/// (<see cref="GateVerdict"/>), against production on the same slice. A slice without a production value, or where
/// either model lacks the metric, is not judged; without a production model nothing is (as relative gates pass).
/// </summary>
internal static class SliceGateCheck
{
    /// <summary>The failures, gate by gate, slices in the order measured.</summary>
    public static IReadOnlyList<SliceVerdict> Failures(IReadOnlyList<SliceGateSpec> gates, IReadOnlyList<SliceMeasure> slices)
    {
        var failures = new List<SliceVerdict>();
        foreach (var gate in gates)
        {
            foreach (var slice in slices)
            {
                if (slice.Production is not { } production || slice.Rows < gate.MinRows)
                {
                    continue;
                }

                var verdict = GateVerdict.Judge(gate.AsGate(), slice.Candidate, production);
                if (!verdict.Passed && verdict is { Candidate: { } candidate, Production: { } baseline, Change: { } change })
                {
                    failures.Add(new SliceVerdict(gate.Metric, gate.Kind, gate.Value, gate.MinRows, slice.Column, slice.Slice, slice.Rows, candidate, baseline, change));
                }
            }
        }

        return failures;
    }
}
