using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Views;

/// <summary>The JSON shape of <c>mlops evals MODEL --json</c> and <c>GET /api/models/{name}/evaluations</c>.</summary>
internal sealed record EvaluationsView(string Model, int? Version, string? Slice, IReadOnlyList<EvaluationView> Evaluations)
{
    public static EvaluationsView From(string model, int? version, string? slice, IReadOnlyList<ModelEvaluation> rows) =>
        new(model, version, slice, [.. rows.Select(EvaluationView.From)]);
}

/// <summary>
/// One number of the evaluation store. <c>version</c> is null for a candidate that was not registered (it lost, or its
/// gates failed); <c>sliceColumn</c> and <c>slice</c> are <c>*</c> for the whole evaluation set; <c>value</c> is null
/// when the metric could not be computed.
/// </summary>
internal sealed record EvaluationView(
    int? Version, string Role, string RunId, string StepId, string? TrainedBy, string? DataHash, string SliceColumn, string Slice, string Metric,
    double? Value, int Rows, DateTimeOffset At)
{
    public static EvaluationView From(ModelEvaluation e) => new(
        e.Version, e.Role, e.RunId, e.StepId, e.TrainedBy, e.DataHash, e.SliceColumn, e.SliceValue, e.Metric,
        double.IsFinite(e.Value) ? e.Value : null, e.Rows, e.At);
}
