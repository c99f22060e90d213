using System.Globalization;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>How a series is drawn: a line through its points (with a dot per point), or dots only.</summary>
internal enum SeriesStyle
{
    Line,
    Points,
}

/// <summary>What a vertical event marker stands for; each kind has its own style.</summary>
internal enum MarkerKind
{
    Deploy,
    Retrain,
}

/// <summary>One value at one time; <see cref="Title"/> is the point's tooltip.</summary>
internal sealed record ChartPoint(DateTimeOffset At, double Value, string? Title = null);

internal sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, SeriesStyle Style = SeriesStyle.Line);

/// <summary>An event drawn as a vertical line across the plot at <see cref="At"/>, labelled <see cref="Label"/>.</summary>
internal sealed record ChartMarker(DateTimeOffset At, string Label, MarkerKind Kind, string? Title = null);

/// <summary>A horizontal reference line, e.g. the drift threshold.</summary>
internal sealed record ChartThreshold(double Value, string Label);

/// <summary>
/// Maps times and values to SVG coordinates of the plot area (<see cref="Left"/>..<see cref="Right"/>,
/// <see cref="Top"/>..<see cref="Bottom"/>; SVG's y grows downwards, so <see cref="Max"/> is at the top).
/// </summary>
internal sealed record ChartScale(DateTimeOffset From, DateTimeOffset To, double Min, double Max, double Left, double Top, double Right, double Bottom)
{
    public double X(DateTimeOffset at) => To <= From
        ? (Left + Right) / 2
        : Left + ((Right - Left) * ((at - From).Ticks / (double)(To - From).Ticks));

    public double Y(double value) => Max <= Min
        ? (Top + Bottom) / 2
        : Bottom - ((Bottom - Top) * ((value - Min) / (Max - Min)));
}

/// <summary>
/// A time-series chart as inline SVG, server-rendered without script: series (lines or dots) over time, vertical
/// event markers whose labels are laid out in rows so that none overlaps another (<see cref="LabelRows"/>), an optional
/// threshold line, value ticks with grid lines and min/max labels, time ticks at each quarter (UTC), a tooltip on
/// every point and marker, and a legend. It fills its container's width (the <c>viewBox</c> scales).
/// Pure: the same input always gives the same text. Every text (names, labels, tooltips) is XML-encoded through
/// <see cref="HtmlBuilder"/>, numbers are written in the invariant culture, and non-finite values (NaN, infinities)
/// are skipped. The time range covers every finite point and every marker; with no finite point there is no chart,
/// only <see cref="EmptyText"/>.
/// </summary>
internal sealed class TimeSeriesChart
{
    public const int Width = 960;
    public const int Height = 300;
    public const double Left = 64;
    public const double Right = Width - 24;

    /// <summary>Room above the plot for <see cref="LabelRows"/> rows of deploy labels.</summary>
    public const double Top = 16 + (LabelRows * RowHeight);
    public const double Bottom = Height - 62;

    /// <summary>Rows of marker labels; a label that fits in none is left out (its marker keeps its tooltip).</summary>
    public const int LabelRows = 3;

    private const double RowHeight = 12;

    /// <summary>How many value ticks the axis aims at (nice steps give 4 to 8).</summary>
    private const int ValueTicks = 5;

    /// <summary>Colours of the series in order (Bootstrap 3's, which the dashboard's layout uses).</summary>
    private static readonly string[] Palette = ["#337ab7", "#8e44ad", "#16a085", "#7f8c8d"];

    private const string DeployColor = "#3c763d";
    private const string RetrainColor = "#e67e22";
    private const string ThresholdColor = "#d9534f";

    /// <summary>The chart's accessible name (<c>aria-label</c> and SVG <c>&lt;title&gt;</c>).</summary>
    public required string Title { get; init; }

    /// <summary>An extra CSS class on the <c>&lt;svg&gt;</c>, e.g. <c>mlops-chart-drift</c>.</summary>
    public string? CssClass { get; init; }

    public IReadOnlyList<ChartSeries> Series { get; init; } = [];

    public IReadOnlyList<ChartMarker> Markers { get; init; } = [];

    public ChartThreshold? Threshold { get; init; }

    /// <summary>Shown instead of the chart when no series has a finite point.</summary>
    public string EmptyText { get; init; } = "No data yet.";

    public bool HasData => Series.Any(s => s.Points.Any(p => double.IsFinite(p.Value)));

    /// <summary>The mapping of the chart's data to the plot area; null when there is nothing to plot.</summary>
    public ChartScale? Scale()
    {
        var points = Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Value)).ToList();
        if (points.Count == 0)
        {
            return null;
        }

        var times = points.Select(p => p.At).Concat(Markers.Select(m => m.At)).ToList();
        var (from, to) = (times.Min(), times.Max());
        if (from == to)
        {
            // One instant: centre it in an hour either side.
            (from, to) = (from.AddHours(-1), to.AddHours(1));
        }

        var values = points.Select(p => p.Value).ToList();
        if (Threshold is { Value: var threshold } && double.IsFinite(threshold))
        {
            values.Add(threshold);
        }

        var (min, max) = (values.Min(), values.Max());
        if (min == max)
        {
            // One value: a band of 10% of it (or 1 around zero) either side, so it sits in the middle.
            var pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }

        return new ChartScale(from, to, min, max, Left, Top, Right, Bottom);
    }

    public Markup Render()
    {
        var html = new HtmlBuilder();
        if (Scale() is not { } scale)
        {
            html.Add($"<p class=\"text-muted mlops-chart-empty\">{EmptyText}</p>");
            return html.ToMarkup();
        }

        html.Add($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mlops-chart{(CssClass is null ? "" : " " + CssClass)}\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" style=\"width:100%;height:auto\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"{Title}\" font-family=\"sans-serif\" font-size=\"11\">");
        html.Add($"<title>{Title}</title>");
        RenderAxes(html, scale);
        if (Threshold is { } threshold && double.IsFinite(threshold.Value))
        {
            var y = N(scale.Y(threshold.Value));
            html.Add($"<g class=\"mlops-threshold\"><title>{threshold.Label}</title>");
            html.Add($"<line x1=\"{N(Left)}\" y1=\"{y}\" x2=\"{N(Right)}\" y2=\"{y}\" stroke=\"{ThresholdColor}\" stroke-width=\"1\" stroke-dasharray=\"6 4\"/>");
            html.Add($"<text x=\"{N(Right - 2)}\" y=\"{N(scale.Y(threshold.Value) - 4)}\" text-anchor=\"end\" fill=\"{ThresholdColor}\">{threshold.Label}</text></g>");
        }

        var ordered = Markers.OrderBy(m => m.At).ToList();
        var deployRows = Rows(ordered.Where(m => m.Kind == MarkerKind.Deploy).Select(m => (m, Centre: scale.X(m.At))).ToList(), centred: true);
        var retrainRows = Rows(ordered.Where(m => m.Kind == MarkerKind.Retrain).Select(m => (m, Start: scale.X(m.At) + 3)).ToList(), centred: false);
        foreach (var marker in ordered)
        {
            RenderMarker(html, scale, marker, marker.Kind == MarkerKind.Deploy ? deployRows[marker] : retrainRows[marker]);
        }

        for (var i = 0; i < Series.Count; i++)
        {
            RenderSeries(html, scale, Series[i], Color(i));
        }

        RenderLegend(html);
        html.Add($"</svg>");
        return html.ToMarkup();
    }

    /// <summary>A coordinate: invariant culture, at most one decimal.</summary>
    internal static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A value as an axis label or tooltip shows it: about four significant digits, invariant culture.</summary>
    internal static string Value(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude switch
        {
            0 => "0",
            >= 1000 => "0",
            >= 100 => "0.#",
            >= 1 => "0.###",
            >= 0.001 => "0.####",
            _ => "0.##E+0",
        };
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A time label: the date for a range of two days or more, else month, day and time of day (UTC).</summary>
    internal static string TimeLabel(DateTimeOffset at, TimeSpan span) =>
        at.UtcDateTime.ToString(span >= TimeSpan.FromDays(2) ? "yyyy-MM-dd" : "MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Color(int index) => Palette[index % Palette.Length];

    private static void RenderAxes(HtmlBuilder html, ChartScale scale)
    {
        var (left, right, top, bottom) = (N(Left), N(Right), N(Top), N(Bottom));
        html.Add($"<g class=\"mlops-axes\" stroke=\"#999\" stroke-width=\"1\">");
        html.Add($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{right}\" y2=\"{top}\" stroke=\"#e5e5e5\"/>");
        html.Add($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{bottom}\"/>");
        html.Add($"<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\"/></g>");

        var span = scale.To - scale.From;
        var middle = scale.From + (span / 2);
        var labelY = N(Bottom + 16);
        html.Add($"<g class=\"mlops-axis-labels\" fill=\"#555\">");
        html.Add($"<text class=\"mlops-y-max\" x=\"{N(Left - 6)}\" y=\"{N(Top + 4)}\" text-anchor=\"end\">{Value(scale.Max)}</text>");
        html.Add($"<text class=\"mlops-y-min\" x=\"{N(Left - 6)}\" y=\"{N(Bottom + 4)}\" text-anchor=\"end\">{Value(scale.Min)}</text>");
        html.Add($"<text class=\"mlops-x-from\" x=\"{left}\" y=\"{labelY}\" text-anchor=\"start\">{TimeLabel(scale.From, span)}</text>");
        html.Add($"<text class=\"mlops-x-middle\" x=\"{N((Left + Right) / 2)}\" y=\"{labelY}\" text-anchor=\"middle\">{TimeLabel(middle, span)}</text>");
        html.Add($"<text class=\"mlops-x-to\" x=\"{right}\" y=\"{labelY}\" text-anchor=\"end\">{TimeLabel(scale.To, span)} UTC</text>");
        foreach (var quarter in new[] { 0.25, 0.75 })
        {
            var at = scale.From + (span * quarter);
            html.Add($"<text class=\"mlops-x-tick\" x=\"{N(scale.X(at))}\" y=\"{labelY}\" text-anchor=\"middle\">{TimeLabel(at, span)}</text>");
        }

        foreach (var tick in Ticks(scale.Min, scale.Max, ValueTicks))
        {
            var y = scale.Y(tick);

            // The min and max labels stay; a tick label closer than a line of text to them is left out.
            var labelled = Math.Abs(y - Top) >= RowHeight && Math.Abs(y - Bottom) >= RowHeight;
            html.Add($"<g class=\"mlops-y-tick\" data-value=\"{Value(tick)}\"><line x1=\"{left}\" y1=\"{N(y)}\" x2=\"{right}\" y2=\"{N(y)}\" stroke=\"#eee\"/><line x1=\"{N(Left - 4)}\" y1=\"{N(y)}\" x2=\"{left}\" y2=\"{N(y)}\" stroke=\"#999\"/>");
            if (labelled)
            {
                html.Add($"<text x=\"{N(Left - 6)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{Value(tick)}</text>");
            }

            html.Add($"</g>");
        }

        for (var i = 0; i <= 4; i++)
        {
            var x = N(Left + ((Right - Left) * i / 4));
            html.Add($"<line class=\"mlops-x-tick-mark\" x1=\"{x}\" y1=\"{bottom}\" x2=\"{x}\" y2=\"{N(Bottom + 4)}\" stroke=\"#999\"/>");
        }

        html.Add($"</g>");
    }

    /// <summary>
    /// Values at a "nice" step (1, 2 or 5 times a power of ten) strictly inside <paramref name="min"/>..<paramref name="max"/>,
    /// about <paramref name="count"/> of them: where the axis's grid lines and tick labels go.
    /// </summary>
    internal static IReadOnlyList<double> Ticks(double min, double max, int count)
    {
        if (!(max > min) || !double.IsFinite(max - min) || count < 1)
        {
            return [];
        }

        var rough = (max - min) / count;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1.0, 2, 5, 10 }.Select(f => f * power).First(s => s >= rough);
        var ticks = new List<double>();
        for (var value = Math.Ceiling(min / step) * step; value < max - (step * 1e-9); value += step)
        {
            var rounded = Math.Round(value / step) * step;
            if (rounded > min + (step * 1e-9))
            {
                ticks.Add(rounded);
            }
        }

        return ticks;
    }

    /// <summary>Estimated width of a label in the chart's 11-pixel font (bold for deploys): enough to keep labels apart.</summary>
    internal static double LabelWidth(string text) => (text.Length * 7) + 4;

    /// <summary>
    /// The row (0 = nearest the plot) each label goes in so that no two overlap: the first row whose last label ends
    /// before this one starts; -1 when all <see cref="LabelRows"/> rows are taken there (the label is left out).
    /// </summary>
    private static Dictionary<ChartMarker, int> Rows(IReadOnlyList<(ChartMarker Marker, double X)> labels, bool centred)
    {
        var ends = Enumerable.Repeat(double.NegativeInfinity, LabelRows).ToArray();
        var rows = new Dictionary<ChartMarker, int>(ReferenceEqualityComparer.Instance);
        foreach (var (marker, x) in labels)
        {
            var width = LabelWidth(marker.Label);
            var start = centred ? x - (width / 2) : x;
            var row = Array.FindIndex(ends, end => end + 2 <= start);
            rows[marker] = row;
            if (row >= 0)
            {
                ends[row] = start + width;
            }
        }

        return rows;
    }

    private static void RenderMarker(HtmlBuilder html, ChartScale scale, ChartMarker marker, int row)
    {
        var x = N(scale.X(marker.At));
        var kind = marker.Kind == MarkerKind.Deploy ? "deploy" : "retrain";
        html.Add($"<g class=\"mlops-marker mlops-marker-{kind}\" data-marker=\"{kind}\" data-at=\"{marker.At.UtcDateTime:O}\"><title>{marker.Title ?? marker.Label}</title>");
        if (marker.Kind == MarkerKind.Deploy)
        {
            // Deploy labels sit above the plot, retrain labels inside its foot, so the two rarely collide.
            html.Add($"<line x1=\"{x}\" y1=\"{N(Top)}\" x2=\"{x}\" y2=\"{N(Bottom)}\" stroke=\"{DeployColor}\" stroke-width=\"1.5\"/>");
            if (row >= 0)
            {
                html.Add($"<text x=\"{x}\" y=\"{N(Top - 6 - (row * RowHeight))}\" text-anchor=\"middle\" fill=\"{DeployColor}\" font-weight=\"bold\">{marker.Label}</text>");
            }

            html.Add($"</g>");
        }
        else
        {
            html.Add($"<line x1=\"{x}\" y1=\"{N(Top)}\" x2=\"{x}\" y2=\"{N(Bottom)}\" stroke=\"{RetrainColor}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>");
            if (row >= 0)
            {
                html.Add($"<text x=\"{N(scale.X(marker.At) + 3)}\" y=\"{N(Bottom - 4 - (row * RowHeight))}\" text-anchor=\"start\" fill=\"{RetrainColor}\">{marker.Label}</text>");
            }

            html.Add($"</g>");
        }
    }

    private static void RenderSeries(HtmlBuilder html, ChartScale scale, ChartSeries series, string color)
    {
        var points = series.Points.Where(p => double.IsFinite(p.Value)).OrderBy(p => p.At).ToList();
        if (points.Count == 0)
        {
            return;
        }

        html.Add($"<g class=\"mlops-series\" data-series=\"{series.Name}\">");
        if (series.Style == SeriesStyle.Line && points.Count > 1)
        {
            var coordinates = string.Join(" ", points.Select(p => N(scale.X(p.At)) + "," + N(scale.Y(p.Value))));
            html.Add($"<polyline points=\"{coordinates}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\"/>");
        }

        var radius = series.Style == SeriesStyle.Line ? "2.5" : "4";
        foreach (var point in points)
        {
            html.Add($"<circle cx=\"{N(scale.X(point.At))}\" cy=\"{N(scale.Y(point.Value))}\" r=\"{radius}\" fill=\"{(series.Style == SeriesStyle.Line ? color : "#fff")}\" stroke=\"{color}\" stroke-width=\"{(series.Style == SeriesStyle.Line ? "0" : "2")}\">");
            html.Add($"<title>{point.Title ?? $"{Badges.Time(point.At)} · {series.Name} {Value(point.Value)}"}</title></circle>");
        }

        html.Add($"</g>");
    }

    private void RenderLegend(HtmlBuilder html)
    {
        var y = Height - 12;
        var x = Left;
        html.Add($"<g class=\"mlops-legend\" fill=\"#333\">");
        for (var i = 0; i < Series.Count; i++)
        {
            var color = Color(i);
            var swatch = Series[i].Style == SeriesStyle.Line
                ? HtmlBuilder.Fragment($"<line x1=\"{N(x)}\" y1=\"{N(y - 4)}\" x2=\"{N(x + 18)}\" y2=\"{N(y - 4)}\" stroke=\"{color}\" stroke-width=\"2\"/>")
                : HtmlBuilder.Fragment($"<circle cx=\"{N(x + 9)}\" cy=\"{N(y - 4)}\" r=\"4\" fill=\"#fff\" stroke=\"{color}\" stroke-width=\"2\"/>");
            x = LegendItem(html, x, y, swatch, Series[i].Name);
        }

        if (Markers.Any(m => m.Kind == MarkerKind.Deploy))
        {
            x = LegendItem(html, x, y, HtmlBuilder.Fragment($"<line x1=\"{N(x + 9)}\" y1=\"{N(y - 11)}\" x2=\"{N(x + 9)}\" y2=\"{N(y + 3)}\" stroke=\"{DeployColor}\" stroke-width=\"1.5\"/>"), "deploy");
        }

        if (Markers.Any(m => m.Kind == MarkerKind.Retrain))
        {
            x = LegendItem(html, x, y, HtmlBuilder.Fragment($"<line x1=\"{N(x + 9)}\" y1=\"{N(y - 11)}\" x2=\"{N(x + 9)}\" y2=\"{N(y + 3)}\" stroke=\"{RetrainColor}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>"), "retrain");
        }

        if (Threshold is { } threshold && double.IsFinite(threshold.Value))
        {
            LegendItem(html, x, y, HtmlBuilder.Fragment($"<line x1=\"{N(x)}\" y1=\"{N(y - 4)}\" x2=\"{N(x + 18)}\" y2=\"{N(y - 4)}\" stroke=\"{ThresholdColor}\" stroke-width=\"1\" stroke-dasharray=\"6 4\"/>"), threshold.Label);
        }

        html.Add($"</g>");
    }

    /// <summary>Writes a swatch and its text at <paramref name="x"/>; returns where the next item starts (text width estimated).</summary>
    private static double LegendItem(HtmlBuilder html, double x, double y, Markup swatch, string text)
    {
        html.Add($"<g class=\"mlops-legend-item\">{swatch}<text x=\"{N(x + 24)}\" y=\"{N(y)}\">{text}</text></g>");
        return x + 24 + (text.Length * 5.6) + 20;
    }
}
