using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>evaluate's <c>slices</c> and <c>slice_gates</c>: what they read to, and each mistake with its position.</summary>
public sealed partial class PipelineLoaderTests
{
    private static string WithSlices(string keys) =>
        SampleYaml.Complete.Replace(Gates, Gates + "\n" + keys, StringComparison.Ordinal);

    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal)) + 1;

    [Test]
    public void LoadFile_Slices_ReadColumnsBinsAndGates()
    {
        var result = _workspace.Load(WithSlices("""
                slices: [season, { column: temp, bins: [0, 10, 20, 30] }]
                slice_gates:
                  rmse: { max_increase: 0.15, min_rows: 50 }
                  r_squared: { max_decrease: 0.1 }
            """));

        Assert.That(result.Errors, Is.Empty);
        var evaluate = result.Definition!.Spec.Steps.OfType<EvaluateStep>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(evaluate.Slices.Select(s => s.Column), Is.EqualTo(new[] { "season", "temp" }));
            Assert.That(evaluate.Slices[0].Bins, Is.Null);
            Assert.That(evaluate.Slices[1].Bins, Is.EqualTo(new[] { 0.0, 10, 20, 30 }));
            Assert.That(evaluate.SliceGates.Select(g => (g.Metric, g.Kind, g.Value, g.MinRows)), Is.EqualTo(new[]
            {
                ("rmse", GateKind.MaxIncrease, 0.15, 50),
                ("r_squared", GateKind.MaxDecrease, 0.1, SliceGateSpec.DefaultMinRows),
            }));
        });
    }

    [TestCase(-5, "temp<0")]
    [TestCase(0, "0<=temp<10")]
    [TestCase(9.99, "0<=temp<10")]
    [TestCase(25, "20<=temp<30")]
    [TestCase(30, "temp>=30")]
    [TestCase(1e9, "temp>=30")]
    public void IntervalOf_Value_ReadableLabel(double value, string expected)
    {
        var slice = new SliceSpec("temp", [0, 10, 20, 30], new SourceMark(1, 1));

        Assert.That(slice.IntervalOf(value), Is.EqualTo(expected));
    }

    [TestCase("    slices: [{ column: temp, bins: [0, 20, 10] }]", "steps[2].slices[0].bins[2]: bin edges must be strictly increasing; 10 follows 20", "[0, 20, 10]")]
    [TestCase("    slices: [{ column: temp, bins: [0, 0] }]", "steps[2].slices[0].bins[1]: bin edges must be strictly increasing; 0 follows 0", "[0, 0]")]
    [TestCase("    slices: [{ column: temp, bins: [0, warm] }]", "steps[2].slices[0].bins[1]: expected a number as a bin edge, got 'warm'", "warm")]
    [TestCase("    slices: [{ column: temp, bins: [] }]", "steps[2].slices[0].bins: 'bins' is empty", "bins")]
    [TestCase("    slices: [{ bins: [1] }]", "steps[2].slices[0].column: missing required key 'column'", "bins: [1]")]
    [TestCase("    slices: [sesaon]", "steps[2].slices[0]: slice column 'sesaon' does not exist in the data; did you mean 'season'?", "sesaon")]
    [TestCase("    slices: [count]", "steps[2].slices[0]: 'count' is the label;", "slices: [count]")]
    [TestCase("    slices: [ts]", "steps[2].slices[0]: 'ts' is the timestamp column;", "slices: [ts]")]
    [TestCase("    slices: [season, season]", "steps[2].slices[1]: column 'season' is sliced twice", "slices: [season")]
    [TestCase("    slices: [{ column: season, bins: [1, 2] }]", "steps[2].slices[0]: 'bins' needs a numeric column, but 'season' is declared categorical", "column: season")]
    [TestCase("    slices: [season]\n    slice_gates: { rsme: { max_increase: 0.1 } }", "steps[2].slice_gates.rsme: unknown metric 'rsme'; did you mean 'rmse'?", "slice_gates")]
    [TestCase("    slices: [season]\n    slice_gates: { auc: { max_decrease: 0.1 } }", "steps[2].slice_gates.auc: metric 'auc' does not apply to regression", "slice_gates")]
    [TestCase("    slices: [season]\n    slice_gates: { rmse: { max_increase: 0.1, min_rows: 0 } }", "steps[2].slice_gates.rmse.min_rows: 0 is out of range; use a whole number from 1 to 2147483647", "slice_gates")]
    [TestCase("    slices: [season]\n    slice_gates: { rmse: { min_rows: 10 } }", "steps[2].slice_gates.rmse: slice gate 'rmse' needs max_increase or max_decrease", "slice_gates")]
    [TestCase("    slices: [season]\n    slice_gates: { rmse: { min: 1 } }", "steps[2].slice_gates.rmse.min: unknown key 'min' in 'steps[2].slice_gates.rmse'", "slice_gates")]
    [TestCase("    slice_gates: { rmse: { max_increase: 0.1 } }", "steps[2].slice_gates: 'slice_gates' needs 'slices' to judge", "slice_gates")]
    public void LoadFile_BadSlices_ErrorWithPosition(string keys, string expected, string onLineWith)
    {
        var yaml = WithSlices(keys);

        var result = _workspace.Load(yaml);

        var error = result.Errors.FirstOrDefault(e => $"{e.Path}: {e.Message}".StartsWith(expected, StringComparison.Ordinal));
        Assert.That(error, Is.Not.Null, string.Join("\n", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Line, Is.EqualTo(LineOf(yaml, onLineWith)));
            Assert.That(error.Column, Is.GreaterThan(0));
            Assert.That(error.File, Does.EndWith(".yaml"));
        });
    }
}
