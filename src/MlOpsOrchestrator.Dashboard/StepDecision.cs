using System.Globalization;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// What a step decided, under its row on the run page: for <c>evaluate</c> the gate table (metric, candidate,
/// production, bound, verdict) and whether the candidate is held back; for <c>monitor</c> the drift table (the worst
/// columns, their scores and the threshold), the reference and the verdict; for <c>retrain</c> the run it started.
/// </summary>
internal static class StepDecision
{
    /// <summary>How many columns the drift table lists, worst first.</summary>
    public const int DriftColumns = 10;

    /// <summary>The evaluate step's metric names for the production model (<c>production_rmse</c>), as the step records them.</summary>
    public const string ProductionPrefix = "production_";

    public static void Render(HtmlBuilder html, StepRecord step, StepSpec? spec, RunInsight insight, Func<string, string> link)
    {
        switch (step.Result)
        {
            case EvaluateResult evaluate:
                Evaluate(html, step, spec as EvaluateStep, evaluate);
                break;
            case DeployResult { HeldBack: { } held } deploy:
                html.Add($"<div class=\"mlops-held-back text-warning\">held back: {held} (registered as version {deploy.Deployed.Version}, not deployed)</div>");
                break;
            case MonitorResult monitor:
                Monitor(html, step, spec as MonitorStep, monitor, insight);
                break;
            case RetrainResult retrain:
                html.Add($"<div class=\"mlops-started-run\">started run <a href=\"{link("/runs/" + Uri.EscapeDataString(retrain.StartedRun))}\">{retrain.StartedRun}</a></div>");
                break;
            case PrepResult { Watermark: { } watermark }:
                html.Add($"<div class=\"text-muted\">watermark {StepOutputs.Instant(watermark)} (newest timestamp consumed)</div>");
                break;
        }
    }

    private static void Evaluate(HtmlBuilder html, StepRecord step, EvaluateStep? spec, EvaluateResult result)
    {
        var production = result.ProductionVersion is { } version ? $"production version {version}" : "no production model";
        html.Add($"<div class=\"mlops-evaluate\">chose <strong>{result.Chosen}</strong>, compared with {production}");
        if (result.HeldBack is { } held)
        {
            html.Add($"<div class=\"mlops-held-back text-warning\">held back: {held}</div>");
        }

        html.Add($"</div>");
        SliceFailures(html, result);
        var candidate = step.Metrics.Where(m => !m.Key.StartsWith(ProductionPrefix, StringComparison.Ordinal)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        var baseline = step.Metrics.Where(m => m.Key.StartsWith(ProductionPrefix, StringComparison.Ordinal)).ToDictionary(m => m.Key[ProductionPrefix.Length..], m => m.Value, StringComparer.Ordinal);
        var gates = spec?.Gates ?? [];
        if (gates.Count == 0 || candidate.Count == 0)
        {
            return;
        }

        html.Add($"<table class=\"table table-condensed mlops-gates\"><thead><tr><th>Gate metric</th><th>Candidate</th><th>Production</th><th>Bound</th><th>Verdict</th></tr></thead><tbody>");
        foreach (var verdict in GateVerdict.Judge(gates, candidate, baseline.Count == 0 ? null : baseline))
        {
            var gate = verdict.Gate;
            var (word, css) = verdict switch
            {
                { Passed: false } => ("fail", "label-danger"),
                { Gate.Kind: GateKind.MaxIncrease or GateKind.MaxDecrease, Production: null } => ("pass (no production to compare)", "label-default"),
                _ => ("pass", "label-success"),
            };
            html.Add($"<tr data-gate=\"{gate.Metric}\" data-verdict=\"{(verdict.Passed ? "pass" : "fail")}\"><td>{gate.Metric}</td><td>{Number(verdict.Candidate)}</td><td>{Number(verdict.Production)}</td>");
            html.Add($"<td>{Bound(verdict)}</td><td><span class=\"label {css}\">{word}</span></td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    /// <summary>The slice gates that failed: which slice, both values, the change and the rows.</summary>
    private static void SliceFailures(HtmlBuilder html, EvaluateResult result)
    {
        if (result.SliceFailures is not { Count: > 0 } failures)
        {
            return;
        }

        html.Add($"<table class=\"table table-condensed mlops-slice-failures\"><thead><tr><th>Slice gate</th><th>Slice</th><th>Candidate</th><th>Production</th><th>Change</th><th>Rows</th></tr></thead><tbody>");
        foreach (var f in failures)
        {
            var change = double.IsInfinity(f.Change) ? (f.Change > 0 ? "+∞%" : "-∞%") : (f.Change * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
            html.Add($"<tr data-slice=\"{f.Slice}\" data-metric=\"{f.Metric}\"><td>{f.Metric} {GateVerdict.KindName(f.Kind)} {f.Bound.ToString("G", CultureInfo.InvariantCulture)}</td><td>{f.Slice}</td>");
            html.Add($"<td>{Number(f.Candidate)}</td><td>{Number(f.Production)}</td><td><span class=\"label label-danger\">{change}</span></td><td>{f.Rows.ToString(CultureInfo.InvariantCulture)} (min_rows {f.MinRows.ToString(CultureInfo.InvariantCulture)})</td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    /// <summary><c>min 0.7</c>; a relative gate also says what it allows against production: <c>max_increase 0.05 (≤ 4.0950)</c>.</summary>
    private static string Bound(GateVerdict verdict)
    {
        var gate = verdict.Gate;
        var text = $"{GateVerdict.KindName(gate.Kind)} {gate.Value.ToString("G", CultureInfo.InvariantCulture)}";
        if (verdict.Production is not { } production)
        {
            return text;
        }

        return gate.Kind switch
        {
            GateKind.MaxIncrease => $"{text} (≤ {Number(production + (Math.Abs(production) * gate.Value))})",
            GateKind.MaxDecrease => $"{text} (≥ {Number(production - (Math.Abs(production) * gate.Value))})",
            _ => text,
        };
    }

    private static void Monitor(HtmlBuilder html, StepRecord step, MonitorStep? spec, MonitorResult result, RunInsight insight)
    {
        var verdict = StepOutputs.VerdictName(result.Verdict);
        var css = result.Verdict == MonitorVerdict.Ok ? "label-success" : "label-warning";
        html.Add($"<div class=\"mlops-monitor\">verdict <span class=\"label {css} mlops-verdict\" data-verdict=\"{verdict}\">{verdict}</span>");
        html.Add($" on {result.WindowRows} {(result.WindowSource == WindowSource.Predictions ? "logged requests" : "rows")} watching version {result.ModelVersion}");
        if (result.Reference is { } reference)
        {
            html.Add($"; reference <span class=\"mlops-reference\">{reference}</span>");
        }

        if (result.DriftAnswered)
        {
            html.Add($"; the drift is already answered by the production model");
        }

        html.Add($"</div>");
        var method = spec?.DriftMethod ?? DriftMethod.Psi;
        var series = method == DriftMethod.Ks ? "drift.ks." : "drift.psi.";
        var threshold = spec?.DriftThreshold;
        var columns = insight.Drift.Where(p => p.StepId == step.StepId && p.Series.StartsWith(series, StringComparison.Ordinal))
            .Select(p => (Column: p.Series[series.Length..], Score: p.Value))
            .OrderByDescending(c => c.Score)
            .Take(DriftColumns)
            .ToList();
        if (columns.Count == 0 && result.WorstFeature is { } worst && result.WorstScore is { } score)
        {
            columns.Add((worst, score)); // No monitoring store here: the result still names the worst column.
        }

        if (columns.Count == 0)
        {
            return;
        }

        var name = method == DriftMethod.Ks ? "KS" : "PSI";
        html.Add($"<table class=\"table table-condensed mlops-drift-table\"><thead><tr><th>Column</th><th>{name}</th><th>Threshold</th><th></th></tr></thead><tbody>");
        foreach (var (column, value) in columns)
        {
            var over = threshold is { } t && value > t;
            html.Add($"<tr data-column=\"{column}\"><td>{column}</td><td>{Number(value)}</td><td>{Number(threshold)}</td>");
            html.Add($"<td>{(over ? HtmlBuilder.Fragment($"<span class=\"label label-warning\">drift</span>") : HtmlBuilder.Fragment($"<span class=\"text-muted\">ok</span>"))}</td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "—";
}
