using System.Globalization;
using System.Xml.Linq;
using MlOpsOrchestrator.Dashboard;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

[TestFixture]
public sealed class TimeSeriesChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void Scale_MapsTheTimeAndValueRangesOntoThePlotArea()
    {
        var chart = Chart(new ChartSeries("auc", [new(T0, 0), new(T0.AddHours(10), 10)]));

        var scale = chart.Scale()!;

        Assert.Multiple(() =>
        {
            Assert.That(scale.From, Is.EqualTo(T0));
            Assert.That(scale.To, Is.EqualTo(T0.AddHours(10)));
            Assert.That(scale.X(T0), Is.EqualTo(TimeSeriesChart.Left));
            Assert.That(scale.X(T0.AddHours(10)), Is.EqualTo(TimeSeriesChart.Right));
            Assert.That(scale.X(T0.AddHours(5)), Is.EqualTo((TimeSeriesChart.Left + TimeSeriesChart.Right) / 2).Within(1e-9));
            Assert.That(scale.Y(0), Is.EqualTo(TimeSeriesChart.Bottom), "the minimum is at the foot");
            Assert.That(scale.Y(10), Is.EqualTo(TimeSeriesChart.Top), "the maximum is at the top");
            Assert.That(scale.Y(2.5), Is.EqualTo(TimeSeriesChart.Bottom - ((TimeSeriesChart.Bottom - TimeSeriesChart.Top) / 4)).Within(1e-9));
        });
    }

    [Test]
    public void Render_LineSeries_IsAPolylineThroughTheScaledPoints_WithMinMaxAndTimeLabels()
    {
        var chart = Chart(new ChartSeries("auc", [new(T0.AddHours(10), 0.9), new(T0, 0.7), new(T0.AddHours(5), 0.8)]));

        var svg = Parse(chart);

        var polyline = svg.Descendants(Svg + "polyline").Single();
        var (left, right, mid) = (TimeSeriesChart.Left, TimeSeriesChart.Right, (TimeSeriesChart.Left + TimeSeriesChart.Right) / 2);
        var (top, bottom) = (TimeSeriesChart.Top, TimeSeriesChart.Bottom);
        Assert.Multiple(() =>
        {
            Assert.That(polyline.Attribute("points")!.Value, Is.EqualTo($"{N(left)},{N(bottom)} {N(mid)},{N((top + bottom) / 2)} {N(right)},{N(top)}"), "sorted by time");
            Assert.That(svg.Descendants(Svg + "circle").Count(c => c.Parent?.Attribute("class")?.Value == "mlops-series"), Is.EqualTo(3));
            Assert.That(Text(svg, "mlops-y-max"), Is.EqualTo("0.9"));
            Assert.That(Text(svg, "mlops-y-min"), Is.EqualTo("0.7"));
            Assert.That(Text(svg, "mlops-x-from"), Is.EqualTo("03-01 00:00"));
            Assert.That(Text(svg, "mlops-x-middle"), Is.EqualTo("03-01 05:00"));
            Assert.That(Text(svg, "mlops-x-to"), Is.EqualTo("03-01 10:00 UTC"));
            Assert.That(svg.Descendants(Svg + "g").Single(g => g.Attribute("class")?.Value == "mlops-legend").Value, Does.Contain("auc"));
        });
    }

    [Test]
    public void TimeLabels_OverTwoDaysOrMore_AreDates()
    {
        var svg = Parse(Chart(new ChartSeries("auc", [new(T0, 1), new(T0.AddDays(4), 2)])));

        Assert.Multiple(() =>
        {
            Assert.That(Text(svg, "mlops-x-from"), Is.EqualTo("2025-03-01"));
            Assert.That(Text(svg, "mlops-x-middle"), Is.EqualTo("2025-03-03"));
            Assert.That(Text(svg, "mlops-x-to"), Is.EqualTo("2025-03-05 UTC"));
        });
    }

    [Test]
    public void Markers_ArePositionedByTime_WithTheirOwnStyleLabelAndTooltip()
    {
        var chart = Chart(
            new ChartSeries("drift", [new(T0, 0.1), new(T0.AddHours(8), 0.3)]),
            markers:
            [
                new ChartMarker(T0.AddHours(2), "v3", MarkerKind.Deploy, "production → v3"),
                new ChartMarker(T0.AddHours(6), "retrain", MarkerKind.Retrain, "retrain run r9"),
            ]);

        var svg = Parse(chart);

        var deploy = Marker(svg, "deploy").Single();
        var retrain = Marker(svg, "retrain").Single();
        var width = TimeSeriesChart.Right - TimeSeriesChart.Left;
        Assert.Multiple(() =>
        {
            Assert.That(X(deploy), Is.EqualTo(TimeSeriesChart.Left + (width / 4)).Within(0.05));
            Assert.That(X(retrain), Is.EqualTo(TimeSeriesChart.Left + (width * 3 / 4)).Within(0.05));
            Assert.That(deploy.Element(Svg + "text")!.Value, Is.EqualTo("v3"));
            Assert.That(retrain.Element(Svg + "text")!.Value, Is.EqualTo("retrain"));
            Assert.That(deploy.Element(Svg + "title")!.Value, Is.EqualTo("production → v3"));
            Assert.That(retrain.Element(Svg + "title")!.Value, Is.EqualTo("retrain run r9"));
            Assert.That(deploy.Element(Svg + "line")!.Attribute("stroke-dasharray"), Is.Null, "deploys are solid");
            Assert.That(retrain.Element(Svg + "line")!.Attribute("stroke-dasharray"), Is.Not.Null, "retrains are dashed");
            Assert.That(svg.Descendants(Svg + "g").Single(g => g.Attribute("class")?.Value == "mlops-legend").Value, Does.Contain("deploy").And.Contain("retrain"));
        });
    }

    [Test]
    public void Markers_OutsideTheData_WidenTheTimeRange()
    {
        var chart = Chart(
            new ChartSeries("auc", [new(T0, 1), new(T0.AddHours(4), 2)]),
            markers: [new ChartMarker(T0.AddHours(8), "v2", MarkerKind.Deploy)]);

        var scale = chart.Scale()!;
        var deploy = Marker(Parse(chart), "deploy").Single();

        Assert.Multiple(() =>
        {
            Assert.That(scale.To, Is.EqualTo(T0.AddHours(8)));
            Assert.That(X(deploy), Is.EqualTo(TimeSeriesChart.Right));
        });
    }

    [Test]
    public void Threshold_IsALineInTheValueRange_WithItsLabelInTheLegend()
    {
        var chart = Chart(new ChartSeries("drift", [new(T0, 0.05), new(T0.AddHours(1), 0.1)]), threshold: new ChartThreshold(0.2, "threshold 0.2"));

        var svg = Parse(chart);
        var group = svg.Descendants(Svg + "g").Single(g => g.Attribute("class")?.Value == "mlops-threshold");

        Assert.Multiple(() =>
        {
            Assert.That(chart.Scale()!.Max, Is.EqualTo(0.2), "the threshold is always visible");
            Assert.That(double.Parse(group.Element(Svg + "line")!.Attribute("y1")!.Value, CultureInfo.InvariantCulture), Is.EqualTo(TimeSeriesChart.Top));
            Assert.That(group.Element(Svg + "text")!.Value, Is.EqualTo("threshold 0.2"));
            Assert.That(svg.Descendants(Svg + "g").Single(g => g.Attribute("class")?.Value == "mlops-legend").Value, Does.Contain("threshold 0.2"));
        });
    }

    [Test]
    public void Render_EncodesEveryText()
    {
        const string Evil = "<script>alert('x')</script>&\"";
        var chart = new TimeSeriesChart
        {
            Title = "Title " + Evil,
            CssClass = "c\"><script>",
            Series = [new ChartSeries("name " + Evil, [new(T0, 1, "point " + Evil), new(T0.AddHours(1), 2)]), new ChartSeries("dots " + Evil, [new(T0, 1)], SeriesStyle.Points)],
            Markers = [new ChartMarker(T0, "label " + Evil, MarkerKind.Deploy, "marker " + Evil), new ChartMarker(T0, "retrain " + Evil, MarkerKind.Retrain)],
            Threshold = new ChartThreshold(1.5, "threshold " + Evil),
        };

        var html = chart.Render().Html;
        var svg = XDocument.Parse(html).Root!;
        var texts = svg.DescendantsAndSelf().SelectMany(e => e.Nodes().OfType<XText>().Select(t => t.Value).Concat(e.Attributes().Select(a => a.Value))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Not.Contain("<script>"));
            Assert.That(html, Does.Contain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"));
            Assert.That(svg.Descendants(Svg + "script"), Is.Empty);
            foreach (var expected in new[] { "Title ", "name ", "point ", "dots ", "label ", "marker ", "retrain ", "threshold " })
            {
                Assert.That(texts, Has.Some.EqualTo(expected + Evil), $"{expected}… comes back intact after XML parsing");
            }

            Assert.That(svg.Attribute("class")!.Value, Is.EqualTo("mlops-chart c\"><script>"));
        });
    }

    [Test]
    public void Render_WithoutFinitePoints_IsTheEncodedEmptyText()
    {
        var none = new TimeSeriesChart { Title = "t", EmptyText = "nothing <yet>" };
        var onlyNaN = Chart(new ChartSeries("auc", [new(T0, double.NaN), new(T0.AddHours(1), double.PositiveInfinity)]));
        var noPoints = Chart(new ChartSeries("auc", []));

        Assert.Multiple(() =>
        {
            Assert.That(none.HasData, Is.False);
            Assert.That(none.Scale(), Is.Null);
            Assert.That(none.Render().Html, Is.EqualTo("<p class=\"text-muted mlops-chart-empty\">nothing &lt;yet&gt;</p>"));
            Assert.That(onlyNaN.HasData, Is.False);
            Assert.That(onlyNaN.Render().Html, Does.Not.Contain("<svg"));
            Assert.That(noPoints.HasData, Is.False);
            Assert.That(noPoints.Render().Html, Does.Contain("mlops-chart-empty"));
        });
    }

    [Test]
    public void Render_OnePoint_IsADotInTheMiddle_WithoutAPolyline()
    {
        var chart = Chart(new ChartSeries("auc", [new(T0, 0.5)]));

        var scale = chart.Scale()!;
        var svg = Parse(chart);
        var dot = svg.Descendants(Svg + "circle").Single(c => c.Parent?.Attribute("class")?.Value == "mlops-series");

        Assert.Multiple(() =>
        {
            Assert.That(svg.Descendants(Svg + "polyline"), Is.Empty);
            Assert.That((scale.From, scale.To), Is.EqualTo((T0.AddHours(-1), T0.AddHours(1))));
            Assert.That((scale.Min, scale.Max), Is.EqualTo((0.45, 0.55)).Using<(double, double)>((a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-12 && Math.Abs(a.Item2 - b.Item2) < 1e-12));
            Assert.That(dot.Attribute("cx")!.Value, Is.EqualTo(N((TimeSeriesChart.Left + TimeSeriesChart.Right) / 2)));
            Assert.That(dot.Attribute("cy")!.Value, Is.EqualTo(N((TimeSeriesChart.Top + TimeSeriesChart.Bottom) / 2)));
        });
    }

    [Test]
    public void Scale_OneValueOfZero_GetsABandOfOne()
    {
        var scale = Chart(new ChartSeries("rows", [new(T0, 0), new(T0.AddHours(1), 0)])).Scale()!;

        Assert.That((scale.Min, scale.Max), Is.EqualTo((-1.0, 1.0)));
    }

    [Test]
    public void Render_NaNAndInfinities_AreSkipped()
    {
        var chart = Chart(new ChartSeries("auc",
        [
            new(T0, 1),
            new(T0.AddHours(1), double.NaN),
            new(T0.AddHours(2), double.NegativeInfinity),
            new(T0.AddHours(4), 3),
        ]));

        var html = chart.Render().Html;
        var svg = XDocument.Parse(html).Root!;
        var scale = chart.Scale()!;

        Assert.Multiple(() =>
        {
            Assert.That(svg.Descendants(Svg + "polyline").Single().Attribute("points")!.Value.Split(' '), Has.Length.EqualTo(2));
            Assert.That(svg.Descendants(Svg + "circle").Count(c => c.Parent?.Attribute("class")?.Value == "mlops-series"), Is.EqualTo(2));
            Assert.That((scale.Min, scale.Max), Is.EqualTo((1.0, 3.0)));
            Assert.That(html, Does.Not.Contain("NaN").And.Not.Contain("Infinity").And.Not.Contain("∞"));
        });
    }

    [Test]
    [SetCulture("de-DE")]
    public void Render_Numbers_UseTheInvariantCulture()
    {
        var svg = Parse(Chart(new ChartSeries("auc", [new(T0, 0.25), new(T0.AddHours(3), 0.75)])));

        Assert.Multiple(() =>
        {
            Assert.That(Text(svg, "mlops-y-max"), Is.EqualTo("0.75"));
            Assert.That(svg.Descendants(Svg + "polyline").Single().Attribute("points")!.Value, Does.Not.Contain(",5 ").And.Match(@"^[\d.]+,[\d.]+ [\d.]+,[\d.]+$"));
        });
    }

    [Test]
    public void Render_PointsSeries_AreDotsWithTheirTooltips()
    {
        var svg = Parse(Chart(
            new ChartSeries("monitored", [new(T0, 1), new(T0.AddHours(2), 2)]),
            new ChartSeries("per version", [new(T0.AddHours(1), 1.5, "v2 · auc 1.5")], SeriesStyle.Points)));

        var group = svg.Descendants(Svg + "g").Single(g => g.Attribute("data-series")?.Value == "per version");

        Assert.Multiple(() =>
        {
            Assert.That(group.Elements(Svg + "polyline"), Is.Empty);
            Assert.That(group.Elements(Svg + "circle").Single().Element(Svg + "title")!.Value, Is.EqualTo("v2 · auc 1.5"));
        });
    }

    [Test]
    public void Render_FillsItsContainersWidth_ValueTicksAtNiceStepsAndTimeTicksAtQuarters()
    {
        var svg = Parse(Chart(new ChartSeries("rmse", [new(T0, 3.1), new(T0.AddHours(8), 4.9)])));
        var ticks = svg.Descendants(Svg + "g").Where(g => g.Attribute("class")?.Value == "mlops-y-tick").Select(g => g.Attribute("data-value")!.Value).ToList();
        var times = svg.Descendants(Svg + "text").Where(t => t.Attribute("class")?.Value == "mlops-x-tick").Select(t => t.Value).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(svg.Attribute("width")!.Value, Is.EqualTo("100%"));
            Assert.That(svg.Attribute("style")!.Value, Does.Not.Contain("max-width"), "not capped at a fixed size");
            Assert.That(svg.Attribute("viewBox")!.Value, Is.EqualTo($"0 0 {TimeSeriesChart.Width} {TimeSeriesChart.Height}"));
            Assert.That(ticks, Is.EqualTo(new[] { "3.5", "4", "4.5" }), "between min 3.1 and max 4.9 at a step of 0.5");
            Assert.That(times, Is.EqualTo(new[] { "03-01 02:00", "03-01 06:00" }));
        });
    }

    [TestCase(0, 1, 5, new[] { 0.2, 0.4, 0.6, 0.8 })]
    [TestCase(3.1, 4.9, 5, new[] { 3.5, 4.0, 4.5 })]
    [TestCase(-10, 10, 5, new[] { -5.0, 0, 5 })]
    [TestCase(0.001, 0.0019, 5, new[] { 0.0012, 0.0014, 0.0016, 0.0018 })]
    [TestCase(5, 5, 5, new double[0])]
    public void Ticks_AtOneTwoOrFiveTimesAPowerOfTen_StrictlyInside(double min, double max, int count, double[] expected) =>
        Assert.That(TimeSeriesChart.Ticks(min, max, count), Is.EqualTo(expected).Within(1e-12));

    [Test]
    public void Markers_LabelsAtTheSameOrNearTimes_NeverOverlap()
    {
        // A promote then a rollback minutes apart, then another deploy: three labels at nearly one x.
        var chart = Chart(
            new ChartSeries("drift", [new(T0, 0.1), new(T0.AddDays(30), 0.3)]),
            markers:
            [
                new ChartMarker(T0.AddDays(10), "v12", MarkerKind.Deploy),
                new ChartMarker(T0.AddDays(10).AddMinutes(3), "v11", MarkerKind.Deploy),
                new ChartMarker(T0.AddDays(10).AddMinutes(9), "v13", MarkerKind.Deploy),
                new ChartMarker(T0.AddDays(10).AddMinutes(12), "v14", MarkerKind.Deploy),
                new ChartMarker(T0.AddDays(20), "v15", MarkerKind.Deploy),
                new ChartMarker(T0.AddDays(10), "retrain", MarkerKind.Retrain),
                new ChartMarker(T0.AddDays(10).AddMinutes(5), "retrain", MarkerKind.Retrain),
            ]);

        var svg = Parse(chart);
        var boxes = svg.Descendants(Svg + "g").Where(g => g.Attribute("data-marker") is not null)
            .Select(g => g.Element(Svg + "text")).OfType<XElement>()
            .Select(t =>
            {
                var x = double.Parse(t.Attribute("x")!.Value, CultureInfo.InvariantCulture);
                var y = double.Parse(t.Attribute("y")!.Value, CultureInfo.InvariantCulture);
                var width = TimeSeriesChart.LabelWidth(t.Value);
                var left = t.Attribute("text-anchor")!.Value == "middle" ? x - (width / 2) : x;
                return (Text: t.Value, Left: left, Right: left + width, Top: y - 11, Bottom: y);
            })
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(boxes.Select(b => b.Text), Is.SupersetOf(new[] { "v12", "v11", "v13", "v15" }), "three rows hold the three near labels");
            Assert.That(Marker(svg, "deploy").Count(), Is.EqualTo(5), "every marker is drawn, a label left out keeps its line and tooltip");
            for (var i = 0; i < boxes.Count; i++)
            {
                for (var j = i + 1; j < boxes.Count; j++)
                {
                    var (a, b) = (boxes[i], boxes[j]);
                    var overlap = a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom;
                    Assert.That(overlap, Is.False, $"labels '{a.Text}' and '{b.Text}' overlap");
                }
            }
        });
    }

    private static TimeSeriesChart Chart(ChartSeries series, ChartSeries? second = null, IReadOnlyList<ChartMarker>? markers = null, ChartThreshold? threshold = null) => new()
    {
        Title = "chart",
        Series = second is null ? [series] : [series, second],
        Markers = markers ?? [],
        Threshold = threshold,
    };

    private static XElement Parse(TimeSeriesChart chart) => XDocument.Parse(chart.Render().Html).Root!;

    private static string Text(XElement svg, string css) => svg.Descendants(Svg + "text").Single(t => t.Attribute("class")?.Value == css).Value;

    private static IEnumerable<XElement> Marker(XElement svg, string kind) => svg.Descendants(Svg + "g").Where(g => g.Attribute("data-marker")?.Value == kind);

    private static double X(XElement marker) => double.Parse(marker.Element(Svg + "line")!.Attribute("x1")!.Value, CultureInfo.InvariantCulture);

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
