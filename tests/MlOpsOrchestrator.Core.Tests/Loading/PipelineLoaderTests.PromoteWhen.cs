using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>deploy's <c>promote_when</c>: read with its defaults, refused without a canary or shadow strategy, every bad value on its key.</summary>
public sealed partial class PipelineLoaderTests
{
    private const string ProductionDeploy = "    alias: production\n    model: bike-demand";

    private static string WithPromoteWhen(string strategy, string rule) =>
        Support.SampleYaml.Complete.Replace(
            ProductionDeploy,
            $"    {(strategy == "replace" ? "alias: production" : $"strategy: {strategy}")}\n{(strategy == "canary" ? "    traffic: 10%\n" : "")}    model: bike-demand\n    promote_when: {rule}",
            StringComparison.Ordinal);

    [TestCase("{ metric: rmse, better_by: 2%, min_labels: 800, within: 7d }", "rmse", 0.02, 800, 7.0)]
    [TestCase("{ metric: mae, better_by: 0.1, within: 12h }", "mae", 0.1, 500, 0.5)]
    [TestCase("{ metric: rmse, better_by: 0%, within: 1d }", "rmse", 0.0, 500, 1.0)]
    public void LoadFile_PromoteWhenOnACanary_Read(string rule, string metric, double betterBy, int minLabels, double days)
    {
        var result = _workspace.Load(WithPromoteWhen("canary", rule));

        Assert.That(result.Errors, Is.Empty);
        var when = result.Definition!.Spec.Steps.OfType<DeployStep>().Single().PromoteWhen!;
        Assert.That((when.Metric, when.BetterBy, when.MinLabels, when.Within), Is.EqualTo((metric, betterBy, minLabels, TimeSpan.FromDays(days))));
        Assert.That(result.Definition.Maturity.Held, Has.Some.EqualTo(
            $"level 4: deploy 'deploy' promotes 'canary' on evidence (promote_when: {metric} better by {(betterBy * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}% on {minLabels} labels within {MlOpsOrchestrator.Loading.DurationText.Format(TimeSpan.FromDays(days))})"));
    }

    [TestCase("replace", "{ metric: rmse, better_by: 2%, within: 7d }", "steps[3].promote_when: promote_when judges a challenger against production")]
    [TestCase("canary", "{ metric: r_squared, better_by: 2%, within: 7d }", "steps[3].promote_when.metric: unknown value 'r_squared'")]
    [TestCase("canary", "{ metric: accuracy, better_by: 2%, within: 7d }", "steps[3].promote_when.metric: metric 'accuracy' is not an online metric of regression; valid: rmse, mae")]
    [TestCase("canary", "{ metric: rmse, better_by: 100%, within: 7d }", "steps[3].promote_when.better_by: invalid better_by '100%'")]
    [TestCase("canary", "{ metric: rmse, better_by: -1%, within: 7d }", "steps[3].promote_when.better_by: invalid better_by '-1%'")]
    [TestCase("canary", "{ metric: rmse, better_by: 2%, min_labels: 0, within: 7d }", "steps[3].promote_when.min_labels: 0 is out of range")]
    [TestCase("canary", "{ metric: rmse, better_by: 2% }", "steps[3].promote_when.within: missing 'within'")]
    [TestCase("canary", "{ metric: rmse, better_by: 2%, within: soon }", "steps[3].promote_when.within: invalid duration 'soon'")]
    [TestCase("canary", "{ better_by: 2%, within: 7d }", "steps[3].promote_when.metric: ")]
    [TestCase("canary", "{ metric: rmse, better_by: 2%, within: 7d, after: 1d }", "steps[3].promote_when.after: unknown key 'after'")]
    public void LoadFile_PromoteWhen_BadValue_ErrorOnTheKey(string strategy, string rule, string expected)
    {
        var result = _workspace.Load(WithPromoteWhen(strategy, rule));

        Assert.That(result.Errors.Select(e => $"{e.Path}: {e.Message}"), Has.Some.StartsWith(expected));
        Assert.That(result.Errors.Select(e => e.Line), Has.All.EqualTo(
            WithPromoteWhen(strategy, rule).Split('\n').ToList().FindIndex(l => l.Contains("promote_when:", StringComparison.Ordinal)) + 1));
    }

    [Test]
    public void LoadFile_NoPromoteWhen_NoMaturityReasonAboutIt()
    {
        var result = _workspace.Load(Support.SampleYaml.Complete);

        Assert.That(result.Definition!.Spec.Steps.OfType<DeployStep>().Single().PromoteWhen, Is.Null);
        Assert.That(result.Definition.Maturity.Held, Has.None.Contains("promote_when"));
        Assert.That(result.Definition.Maturity, Is.TypeOf<MaturityAssessment>());
    }
}
