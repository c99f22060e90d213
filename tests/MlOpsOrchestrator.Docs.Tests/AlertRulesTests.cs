using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.Telemetry;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using YamlDotNet.RepresentationModel;

namespace MlOpsOrchestrator.Docs.Tests;

/// <summary>
/// docs/operations.md "Dashboards and alerts" is copied into Prometheus as it stands: the metrics table names exactly
/// the instruments the product publishes, the scrape config reads <c>/metrics</c>, and every expression (the alert
/// rules and the other examples) queries a documented metric by labels that metric has. The table's labels are held
/// to a real scrape by <c>MetricsEndpointTests.EveryDocumentedMetric_ServedWithExactlyItsDocumentedLabels</c>.
/// </summary>
public sealed partial class AlertRulesTests
{
    private static readonly string[] HistogramSeries = ["_bucket", "_sum", "_count"];

    [Test]
    public void MetricsTable_NamesExactlyTheInstrumentsTheProductPublishes()
    {
        var published = new List<string>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter == MlOpsTelemetry.Meter)
                {
                    published.Add(instrument.Name);
                }
            };
            listener.Start();
        }

        Assert.That(DocumentedMetrics.Table().Keys, Is.EquivalentTo(published));
    }

    [Test]
    public void ScrapeConfig_ReadsTheMetricsPathWithAToken()
    {
        var job = (YamlMappingNode)((YamlSequenceNode)Yaml("# prometheus.yml")["scrape_configs"])[0];
        Assert.Multiple(() =>
        {
            Assert.That(job["metrics_path"].ToString(), Is.EqualTo("/metrics"));
            Assert.That(((YamlMappingNode)job["authorization"])["type"].ToString(), Is.EqualTo("Bearer"));
        });
    }

    [Test]
    public void AlertRules_AtLeastThree_EachQueriesDocumentedMetricsByTheirLabels_AndAnnotatesWithLabelsItKeeps()
    {
        var rules = Rules();
        Assert.That(rules, Has.Count.GreaterThanOrEqualTo(3), "three example alert rules");
        Assert.Multiple(() =>
        {
            foreach (var (alert, expr, annotations) in rules)
            {
                Assert.That(Problems(expr), Is.Empty, $"{alert}: {expr}");
                var kept = AggregatedBy(expr);
                foreach (var used in AnnotationLabel().Matches(annotations).Select(m => m.Groups[1].Value))
                {
                    Assert.That(kept, Does.Contain(used), $"{alert}: the annotation uses $labels.{used}, which the aggregation drops");
                }
            }
        });
    }

    [Test]
    public void OtherExpressions_QueryDocumentedMetricsByTheirLabels()
    {
        var section = DocumentedMetrics.Section();
        var prose = section[section.IndexOf("Other useful expressions", StringComparison.Ordinal)..];
        var expressions = InlineCode().Matches(prose[..prose.IndexOf("\n\n", StringComparison.Ordinal)])
            .Select(m => m.Groups[1].Value).Where(e => e.Contains("mlops_", StringComparison.Ordinal)).ToList();
        Assert.That(expressions, Has.Count.GreaterThanOrEqualTo(3));
        Assert.Multiple(() =>
        {
            foreach (var expr in expressions)
            {
                Assert.That(Problems(expr), Is.Empty, expr);
            }
        });
    }

    [TestCase("sum by (pipeline) (increase(mlops_runs_total{status=\"failed\"}[6h]))", true)]
    [TestCase("sum by (pipeline) (increase(mlops_run_total{status=\"failed\"}[6h]))", false)]
    [TestCase("max by (model) (mlops_drift_score{feature=\"temp\"})", false)]
    [TestCase("max by (pipeline) (mlops_drift_score)", false)]
    [TestCase("histogram_quantile(0.9, sum by (le) (rate(mlops_fire_lateness_seconds_bucket[1h])))", true)]
    [TestCase("mlops_runs_total_bucket", false)]
    public void Problems_OfAnExpression_FoundOrNot(string expr, bool clean) =>
        Assert.That(Problems(expr), clean ? Is.Empty : Is.Not.Empty);

    /// <summary>What is wrong with the metrics and labels one PromQL expression uses, as the table documents them.</summary>
    private static List<string> Problems(string expr)
    {
        var table = DocumentedMetrics.Table();
        var problems = new List<string>();
        var series = new List<(DocumentedMetric Metric, bool Bucket)>();
        foreach (Match use in MetricUse().Matches(expr))
        {
            var name = use.Groups["name"].Value;
            var suffix = HistogramSeries.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal));
            var metric = table.GetValueOrDefault(name) ?? (suffix is null ? null : table.GetValueOrDefault(name[..^suffix.Length]));
            if (metric is null || (metric.Name != name && !metric.IsHistogram))
            {
                problems.Add($"{name} is not a documented metric (or series of a documented histogram)");
                continue;
            }

            var bucket = suffix == "_bucket" && metric.Name != name;
            series.Add((metric, bucket));
            foreach (var label in Matcher().Matches(use.Groups["selector"].Value).Select(m => m.Groups[1].Value))
            {
                if (!metric.Labels.Contains(label) && !(bucket && label == "le"))
                {
                    problems.Add($"{name} has no label {label}");
                }
            }
        }

        foreach (var label in AggregatedBy(expr))
        {
            foreach (var (metric, bucket) in series.Where(s => !s.Metric.Labels.Contains(label) && !(s.Bucket && label == "le")))
            {
                problems.Add($"by ({label}): {metric.Name} has no label {label}");
            }
        }

        return problems;
    }

    private static HashSet<string> AggregatedBy(string expr) =>
        [.. By().Matches(expr).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    private static List<(string Alert, string Expr, string Annotations)> Rules()
    {
        var groups = (YamlSequenceNode)Yaml("# mlops-alerts.yml")["groups"];
        return [.. groups.Cast<YamlMappingNode>().SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>()).Select(r => (
            r["alert"].ToString(),
            r["expr"].ToString(),
            string.Join("\n", ((YamlMappingNode)r["annotations"]).Children.Values.Select(v => v.ToString()))))];
    }

    private static YamlMappingNode Yaml(string firstLine)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(DocumentedMetrics.Block(firstLine));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"(?<name>mlops_[a-z_]+)(?<selector>\{[^}]*\})?")]
    private static partial Regex MetricUse();

    [GeneratedRegex(@"([a-z_]+)\s*(?:=~|!~|!=|=)")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"\bby\s*\(([^)]*)\)")]
    private static partial Regex By();

    [GeneratedRegex(@"\$labels\.([a-z_]+)")]
    private static partial Regex AnnotationLabel();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();
}
