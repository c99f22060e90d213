using System.Globalization;
using System.Net;
using System.Text;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// <c>replay.svg</c>: the per-period metric as one line per schedule (the policy, each baseline), the periods along
/// the x axis and the metric up the y axis, with a legend. Plain SVG, no script, no external file.
/// </summary>
internal static class ReplaySvg
{
    private const int Width = 900;
    private const int Height = 420;
    private const int Left = 70;
    private const int Right = 200;
    private const int Top = 30;
    private const int Bottom = 50;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    public static string Render(ReplayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<(string Name, IReadOnlyList<double?> Values)> { ("policy", [.. report.Periods.Select(p => p.Policy)]) };
        lines.AddRange(report.Baselines.Select(b => (b.Name, (IReadOnlyList<double?>)[.. report.Periods.Select(p => p.Baselines.GetValueOrDefault(b.Name))])));
        var values = lines.SelectMany(l => l.Values).OfType<double>().ToList();
        var (min, max) = values.Count == 0 ? (0.0, 1.0) : (values.Min(), values.Max());
        if (max - min < 1e-12)
        {
            (min, max) = (min - 0.5, max + 0.5);
        }

        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var count = Math.Max(report.Periods.Count - 1, 1);
        double X(int i) => Left + (plotWidth * i / (double)count);
        double Y(double v) => Top + (plotHeight * (max - v) / (max - min));

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<title>{Escape(report.Pipeline)}: prequential {Escape(report.Metric)} per {report.Period}</title>\n"));
        svg.Append(Invariant($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"18\" font-size=\"14\">{Escape(report.Pipeline)}: prequential {Escape(report.Metric)} per {report.Period}</text>\n"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Left + plotWidth}\" y2=\"{Top + plotHeight}\" stroke=\"black\"/>\n"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\" stroke=\"black\"/>\n"));
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = min + ((max - min) * tick / 4);
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(value) + 4:0.#}\" text-anchor=\"end\">{value:0.###}</text>\n"));
        }

        if (report.Periods.Count > 0)
        {
            svg.Append(Invariant($"<text x=\"{Left}\" y=\"{Top + plotHeight + 18}\">{report.Periods[0].Start.UtcDateTime:yyyy-MM-dd}</text>\n"));
            svg.Append(Invariant($"<text x=\"{Left + plotWidth}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"end\">{report.Periods[^1].Start.UtcDateTime:yyyy-MM-dd}</text>\n"));
        }

        svg.Append(Invariant($"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 10}\" text-anchor=\"middle\">{report.Period} (start, UTC)</text>\n"));
        svg.Append(Invariant($"<text x=\"16\" y=\"{Top + (plotHeight / 2)}\" transform=\"rotate(-90 16 {Top + (plotHeight / 2)})\" text-anchor=\"middle\">{Escape(report.Metric)}</text>\n"));
        for (var l = 0; l < lines.Count; l++)
        {
            var color = Colors[l % Colors.Length];
            var points = lines[l].Values.Select((v, i) => v is { } value ? Invariant($"{X(i):0.#},{Y(value):0.#}") : null).OfType<string>();
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{string.Join(' ', points)}\"/>\n"));
            var legendY = Top + 10 + (l * 18);
            svg.Append(Invariant($"<line x1=\"{Left + plotWidth + 15}\" y1=\"{legendY}\" x2=\"{Left + plotWidth + 35}\" y2=\"{legendY}\" stroke=\"{color}\" stroke-width=\"3\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left + plotWidth + 40}\" y=\"{legendY + 4}\">{Escape(lines[l].Name)}</text>\n"));
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
