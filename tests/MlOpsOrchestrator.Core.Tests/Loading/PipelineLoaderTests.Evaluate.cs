using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>evaluate's keys for the deploy decision: <c>min_rows</c>, <c>safety</c>, <c>holdout</c>.</summary>
public sealed partial class PipelineLoaderTests
{
    private const string Gates = "      rmse: { max_increase: 0.05 }";

    [TestCase("", 200, true, 0.2, null)]
    [TestCase("    min_rows: 500\n    safety: false", 500, false, 0.2, null)]
    [TestCase("    holdout: 0.3", 200, true, 0.3, null)]
    [TestCase("    holdout: 25%", 200, true, 0.25, null)]
    [TestCase("    holdout: 7d", 200, true, null, 7.0)]
    public void LoadFile_EvaluateDecisionKeys_Read(string keys, int minRows, bool safety, double? fraction, double? days)
    {
        var result = _workspace.Load(SampleYaml.Complete.Replace(Gates, keys.Length == 0 ? Gates : Gates + "\n" + keys, StringComparison.Ordinal));

        Assert.That(result.Errors, Is.Empty);
        var evaluate = result.Definition!.Spec.Steps.OfType<EvaluateStep>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(evaluate.MinRows, Is.EqualTo(minRows));
            Assert.That(evaluate.Safety, Is.EqualTo(safety));
            Assert.That(evaluate.Holdout.Fraction, Is.EqualTo(fraction).Within(1e-12));
            Assert.That(evaluate.Holdout.Duration, Is.EqualTo(days is { } d ? TimeSpan.FromDays(d) : (TimeSpan?)null));
        });
    }

    [TestCase("    holdout: 0", "steps[2].holdout: invalid holdout '0'; use a share of the last full run's span (0.2 or 20%, more than 0 and at most 1) or a duration such as '7d'")]
    [TestCase("    holdout: 120%", "steps[2].holdout: invalid holdout '120%'; use a share of the last full run's span (0.2 or 20%, more than 0 and at most 1) or a duration such as '7d'")]
    [TestCase("    holdout: week", "steps[2].holdout: invalid holdout 'week'; use a share of the last full run's span (0.2 or 20%, more than 0 and at most 1) or a duration such as '7d'")]
    [TestCase("    min_rows: 0", "steps[2].min_rows: 0 is out of range; use a whole number from 1 to 2147483647")]
    [TestCase("    safety: maybe", "steps[2].safety: ")]
    [TestCase("    min_row: 10", "steps[2].min_row: unknown key 'min_row' in")]
    public void LoadFile_EvaluateDecisionKeys_BadValue_ErrorOnTheKey(string keys, string expected)
    {
        var result = _workspace.Load(SampleYaml.Complete.Replace(Gates, Gates + "\n" + keys, StringComparison.Ordinal));

        Assert.That(result.Errors.Select(e => $"{e.Path}: {e.Message}"), Has.Some.StartsWith(expected));
        Assert.That(result.Errors.Select(e => e.Line), Has.All.EqualTo(SampleYaml.Complete.Split('\n').ToList().FindIndex(l => l.StartsWith(Gates, StringComparison.Ordinal)) + 2));
    }
}
