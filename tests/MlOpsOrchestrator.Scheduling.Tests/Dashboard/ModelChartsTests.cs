using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Dashboard;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

[TestFixture]
public sealed class ModelChartsTests
{
    private const string Pipeline = "bikes";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void DriftChart_PlotsTheWorstScoreOfEachMonitorExecution_UnderItsMethod_NamingTheFeature()
    {
        var data = Data(
            drift:
            [
                Point("run-1", "drift.psi.temp", 0.1, T0),
                Point("run-1", "drift.psi.humidity", 0.3, T0),
                Point("run-1", "drift.ks.temp", 0.5, T0),
                Point("run-2", "drift.psi.temp", 0.05, T0.AddHours(1)),
                Point("run-2", "drift.psi.wind.speed", double.NaN, T0.AddHours(1)),
                Point("run-2", "drift.psi.humidity", 0.02, T0.AddHours(1)),
            ],
            monitors: [new ModelCharts.Monitor(Pipeline, "monitor", DriftMethod.Psi, 0.2, null)]);

        var chart = ModelCharts.DriftChart(data, []);

        var points = chart.Series.Single().Points;
        Assert.Multiple(() =>
        {
            Assert.That(points.Select(p => p.Value), Is.EqualTo(new[] { 0.3, 0.05 }), "PSI only: the step judges by PSI");
            Assert.That(points.Select(p => p.At), Is.EqualTo(new[] { T0, T0.AddHours(1) }));
            Assert.That(points[0].Title, Does.Contain("worst feature humidity: psi 0.3 > 0.2: drift").And.Contain("run run-1").And.Contain("v2"));
            Assert.That(points[1].Title, Does.Contain("worst feature temp: psi 0.05 ≤ 0.2"));
            Assert.That(chart.Series.Single().Name, Is.EqualTo("worst drift (psi)"));
            Assert.That(chart.Threshold, Is.EqualTo(new ChartThreshold(0.2, "threshold 0.2")));
        });
    }

    [Test]
    public void DriftChart_UnknownMonitorStep_TakesTheMaxOverEveryDriftSeries_WithoutAThresholdLine()
    {
        var data = Data(drift: [Point("run-1", "drift.psi.temp", 0.1, T0), Point("run-1", "drift.ks.temp", 0.5, T0)]);

        var chart = ModelCharts.DriftChart(data, []);

        Assert.Multiple(() =>
        {
            Assert.That(chart.Series.Single().Points.Single().Value, Is.EqualTo(0.5));
            Assert.That(chart.Series.Single().Points.Single().Title, Does.Contain("worst feature temp: ks 0.5"));
            Assert.That(chart.Threshold, Is.Null);
        });
    }

    [Test]
    public void DriftChart_MonitorStepsWithDifferentThresholds_DrawNoThresholdLine()
    {
        var data = Data(
            drift: [Point("run-1", "drift.psi.temp", 0.1, T0), Point("run-1", "drift.psi.temp", 0.1, T0, step: "monitor-2")],
            monitors:
            [
                new ModelCharts.Monitor(Pipeline, "monitor", DriftMethod.Psi, 0.2, null),
                new ModelCharts.Monitor(Pipeline, "monitor-2", DriftMethod.Psi, 0.3, null),
            ]);

        var chart = ModelCharts.DriftChart(data, []);

        Assert.Multiple(() =>
        {
            Assert.That(chart.Series.Single().Points, Has.Count.EqualTo(2), "one point per monitor execution (run and step)");
            Assert.That(chart.Threshold, Is.Null);
        });
    }

    [Test]
    public void DriftChart_NoPoints_IsEmptyWithTheMonitoringHint()
    {
        var chart = ModelCharts.DriftChart(Data(), []);

        Assert.Multiple(() =>
        {
            Assert.That(chart.HasData, Is.False);
            Assert.That(chart.Render().Html, Does.Contain(ModelCharts.EmptyText));
        });
    }

    [Test]
    public void MetricChart_MonitoredSeriesAndEachVersionsEvaluation_OfTheNewestMetricSeries()
    {
        var data = Data(metrics:
        [
            Point("run-1", "metric.mae", 3, T0.AddHours(1)),
            Point("run-2", "metric.rmse", 5, T0.AddHours(2)),
            Point("run-3", "metric.rmse", 6, T0.AddHours(3)),
        ]);
        ModelVersion[] versions = [Version(1, T0, ("rmse", 4.5), ("mae", 2)), Version(2, T0.AddHours(2.5), ("mae", 2.1)), Version(3, T0.AddHours(4), ("rmse", 4))];

        var chart = ModelCharts.MetricChart(data, versions, []);

        Assert.Multiple(() =>
        {
            Assert.That(chart.Title, Is.EqualTo("Metric rmse"));
            Assert.That(chart.Series.Select(s => s.Name), Is.EqualTo(new[] { "rmse (monitored)", "rmse per version (evaluation)" }));
            Assert.That(chart.Series[0].Style, Is.EqualTo(SeriesStyle.Line));
            Assert.That(chart.Series[0].Points.Select(p => p.Value), Is.EqualTo(new[] { 5.0, 6.0 }));
            Assert.That(chart.Series[1].Style, Is.EqualTo(SeriesStyle.Points));
            Assert.That(chart.Series[1].Points.Select(p => (p.At, p.Value)), Is.EqualTo(new[] { (T0, 4.5), (T0.AddHours(4), 4.0) }), "at each version's creation time");
            Assert.That(chart.Series[1].Points[1].Title, Does.Contain("v3 · rmse 4 at evaluation"));
        });
    }

    [Test]
    public void ChooseMetric_WithoutMonitoredPoints_ThePerformanceMetric_ElseTheNewestVersionsFirstOwnMetric()
    {
        ModelVersion[] versions = [Version(1, T0, ("rmse", 4)), Version(2, T0.AddHours(1), ("production_auc", 0.7), ("r_squared", 0.8), ("mae", 2))];
        var performance = Data(monitors: [new ModelCharts.Monitor(Pipeline, "monitor", DriftMethod.Psi, 0.2, "rmse")]);
        var unrecorded = Data(monitors: [new ModelCharts.Monitor(Pipeline, "monitor", DriftMethod.Psi, 0.2, "mape")]);

        Assert.Multiple(() =>
        {
            Assert.That(ModelCharts.ChooseMetric(performance, versions), Is.EqualTo("rmse"));
            Assert.That(ModelCharts.ChooseMetric(unrecorded, versions), Is.EqualTo("mae"));
            Assert.That(ModelCharts.ChooseMetric(Data(), [Version(1, T0, ("production_auc", 0.7))]), Is.EqualTo("production_auc"));
            Assert.That(ModelCharts.ChooseMetric(Data(), [Version(1, T0)]), Is.Null);
            Assert.That(ModelCharts.MetricChart(Data(), [Version(1, T0)], []).HasData, Is.False);
        });
    }

    [Test]
    public void ChooseMetric_WithoutMonitoredPoints_ThePipelinesPrimaryMetricWhenRecorded()
    {
        // The quickstart pipeline: a regression judged by rmse, whose versions also record mae (first in ordinal order).
        ModelVersion[] versions = [Version(1, T0, ("mae", 2), ("rmse", 4), ("r_squared", 0.8))];
        var performance = Data(monitors: [new ModelCharts.Monitor(Pipeline, "monitor", DriftMethod.Psi, 0.2, "r_squared")]);

        Assert.Multiple(() =>
        {
            Assert.That(ModelCharts.ChooseMetric(Data() with { Primary = "rmse" }, versions), Is.EqualTo("rmse"));
            Assert.That(ModelCharts.ChooseMetric(performance with { Primary = "rmse" }, versions), Is.EqualTo("rmse"), "the primary metric before the monitor's");
            Assert.That(ModelCharts.ChooseMetric(Data() with { Primary = "mape" }, versions), Is.EqualTo("mae"), "a primary metric no version recorded is not charted");
            Assert.That(ModelCharts.MetricChart(Data() with { Primary = "rmse" }, versions, []).Title, Is.EqualTo("Metric rmse"));
        });
    }

    [Test]
    public void Markers_ProductionMovesAndRetrains_FromJustBeforeTheFirstPoint()
    {
        AliasChange[] history =
        [
            Move(1, null, T0.AddDays(-30)),
            Move(2, 1, T0.AddMinutes(-30)),
            new AliasChange("m", "staging", 3, null, "deploy", null, T0.AddHours(2)),
            Move(3, 2, T0.AddHours(3), "rollback from version 4"),
        ];
        RunRecord[] retrains = [Run("old", "on-drift", T0.AddDays(-29)), Run("r-7", "on-drift", T0.AddHours(2.5))];
        ChartSeries[] series = [new("drift", [new(T0, 0.1), new(T0.AddHours(4), 0.2)])];

        var markers = ModelCharts.Markers(history, retrains, series);

        Assert.Multiple(() =>
        {
            Assert.That(markers.Select(m => (m.Label, m.Kind)), Is.EqualTo(new[] { ("v2", MarkerKind.Deploy), ("retrain", MarkerKind.Retrain), ("v3", MarkerKind.Deploy) }));
            Assert.That(markers[0].Title, Does.Contain("production → v2 (was v1) by deploy"));
            Assert.That(markers[1].Title, Does.Contain("retrain run r-7 (trigger on-drift) · succeeded"));
            Assert.That(markers[2].Title, Does.EndWith("by deploy: rollback from version 4"));
            Assert.That(ModelCharts.Markers(history, retrains, []), Is.Empty, "no data, no range to place them in");
        });
    }

    [Test]
    public void IsRetrain_ByDriftTriggerOrTheRetrainStepsKey_ButNotACancelledFire()
    {
        var triggers = new HashSet<string>(["on-drift"]);

        Assert.Multiple(() =>
        {
            Assert.That(ModelCharts.IsRetrain(Run("a", "on-drift", T0), triggers), Is.True);
            Assert.That(ModelCharts.IsRetrain(Run("b", "nightly", T0), triggers), Is.False);
            Assert.That(ModelCharts.IsRetrain(Run("c", "renamed", T0) with { IdempotencyKey = "bikes|renamed|retrain-of|run-1" }, triggers), Is.True);
            Assert.That(ModelCharts.IsRetrain(Run("d", "on-drift", T0) with { Status = RunStatus.Cancelled }, triggers), Is.False);
        });
    }

    private static ModelCharts.Data Data(
        IReadOnlyList<EvaluationPoint>? metrics = null, IReadOnlyList<EvaluationPoint>? drift = null, IReadOnlyList<ModelCharts.Monitor>? monitors = null) =>
        new(metrics ?? [], drift ?? [], [], monitors ?? []);

    private static EvaluationPoint Point(string run, string series, double value, DateTimeOffset at, string step = "monitor") =>
        new(Pipeline, Pipeline, 2, run, step, series, value, at);

    private static ModelVersion Version(int version, DateTimeOffset at, params (string Name, double Value)[] metrics) => new()
    {
        Name = Pipeline,
        Version = version,
        RunId = $"run-v{version}",
        StepId = "deploy",
        PipelineVersion = "abc",
        DataHash = "def",
        ArtifactPath = "models/m.zip",
        Metrics = metrics.ToDictionary(m => m.Name, m => m.Value),
        CreatedAt = at,
    };

    private static AliasChange Move(int version, int? previous, DateTimeOffset at, string? reason = null) =>
        new("m", ModelPage.Production, version, previous, "deploy", reason, at);

    private static RunRecord Run(string id, string trigger, DateTimeOffset at) => new()
    {
        RunId = id,
        Pipeline = Pipeline,
        PipelineVersion = "abc",
        PipelineFile = "bikes.yaml",
        PipelineYaml = "",
        Trigger = trigger,
        Mode = RunMode.Full,
        Status = RunStatus.Succeeded,
        Level = 4,
        CreatedAt = at,
    };
}
