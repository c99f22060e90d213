using System.Globalization;
using MlOpsOrchestrator.Evaluations;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The version comparison as inline SVG bars, in the style of <see cref="TimeSeriesChart"/>: one bar per slice and
/// metric, worst first, its length the relative change of version b (right and red: worse; left and green: better),
/// capped at ±100 % with the true value in the label and tooltip. Pure, every text encoded.
/// </summary>
internal static class SliceBarChart
{
    public const int Width = 960;
    public const int RowHeight = 18;
    public const int MaxBars = 24;
    private const double LabelWidth = 300;
    private const double Margin = 24;
    private const string WorseColor = "#d9534f";
    private const string BetterColor = "#5cb85c";

    public static Markup Render(VersionComparison comparison)
    {
        var bars = comparison.Slices.Where(s => s.Worsening is { } w && !double.IsNaN(w)).Take(MaxBars).ToList();
        if (bars.Count == 0)
        {
            return Markup.Empty;
        }

        var height = (bars.Count * RowHeight) + 30;
        var zero = LabelWidth + ((Width - LabelWidth - Margin) / 2);
        var half = (Width - LabelWidth - Margin) / 2 - 60;
        var html = new HtmlBuilder();
        html.Add($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mlops-chart mlops-compare-chart\" viewBox=\"0 0 {Width} {height}\" width=\"100%\" style=\"width:100%;height:auto\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"v{comparison.B} against v{comparison.A} by slice\" font-family=\"sans-serif\" font-size=\"11\">");
        html.Add($"<line x1=\"{N(zero)}\" y1=\"4\" x2=\"{N(zero)}\" y2=\"{height - 20}\" stroke=\"#999\" stroke-width=\"1\"/>");
        html.Add($"<text x=\"{N(zero + 4)}\" y=\"{height - 6}\" fill=\"{WorseColor}\">worse →</text><text x=\"{N(zero - 4)}\" y=\"{height - 6}\" text-anchor=\"end\" fill=\"{BetterColor}\">← better</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var worsening = bar.Worsening!.Value;
            var length = Math.Min(1, Math.Abs(worsening)) * half;
            var y = 4 + (i * RowHeight);
            var x = worsening >= 0 ? zero : zero - length;
            var color = worsening > 1e-12 ? WorseColor : BetterColor;
            var label = $"{VersionCompareSection.SliceText(bar)} · {bar.Metric}";
            var change = VersionCompareSection.Percent(bar.Change);
            html.Add($"<g class=\"mlops-bar\" data-slice=\"{bar.Slice}\" data-metric=\"{bar.Metric}\"><title>{label}: v{comparison.A} {Value(bar.A)} → v{comparison.B} {Value(bar.B)} ({change})</title>");
            html.Add($"<text x=\"{N(LabelWidth - 8)}\" y=\"{N(y + 12)}\" text-anchor=\"end\" fill=\"#333\">{label}</text>");
            html.Add($"<rect x=\"{N(x)}\" y=\"{N(y + 2)}\" width=\"{N(Math.Max(1, length))}\" height=\"{RowHeight - 5}\" fill=\"{color}\"/>");
            html.Add($"<text x=\"{N(worsening >= 0 ? zero + length + 4 : zero - length - 4)}\" y=\"{N(y + 12)}\" text-anchor=\"{(worsening >= 0 ? "start" : "end")}\" fill=\"#555\">{change}</text></g>");
        }

        html.Add($"</svg>");
        return html.ToMarkup();
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Value(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";
}
