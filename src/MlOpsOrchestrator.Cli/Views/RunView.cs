using System.Text.Json.Serialization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Views;

/// <summary>The JSON shape of a run (spec "JSON shapes"): <c>mlops run --json</c>, <c>mlops show --json</c>, <c>GET /api/runs/{id}</c>.</summary>
internal sealed record RunView(
    string RunId,
    string Pipeline,
    string PipelineVersion,
    string Trigger,
    string Mode,
    IReadOnlyDictionary<string, string> Parameters,
    string Status,
    int Level,
    IReadOnlyList<string> LevelReasons,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? Duration,
    string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StepView>? Steps,
    ModelRefView? Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RequestedBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RetryOf = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResumedBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CancelRequestView? CancelRequest = null)
{
    public static RunView From(RunRecord run, IReadOnlyList<StepRecord>? steps, DateTimeOffset now)
    {
        var effective = RunLiveness.Effective(run, now);
        return new RunView(
            run.RunId,
            run.Pipeline,
            run.PipelineVersion,
            run.Trigger,
            run.Mode == RunMode.Full ? "full" : "incremental",
            new SortedDictionary<string, string>(run.Parameters.ToDictionary(), StringComparer.Ordinal),
            StatusNames.Of(effective.Status),
            run.Level,
            run.LevelReasons,
            run.CreatedAt,
            run.StartedAt,
            run.FinishedAt,
            run.StartedAt is { } s && run.FinishedAt is { } f ? Math.Round((f - s).TotalSeconds, 3) : null,
            run.Error,
            steps?.Select(step => StepView.From(RunLiveness.Effective(step, effective))).ToList(),
            run.Model is null ? null : new ModelRefView(run.Model.Name, run.Model.Version),
            run.RequestedBy,
            run.RetryOf,
            run.ResumedBy,
            run.CancelRequest is { } cancel ? new CancelRequestView(cancel.By, cancel.Reason, cancel.At) : null);
    }
}

/// <summary>Who asked to cancel the run, why and when: <c>"cancelRequest": { "by", "reason", "at" }</c>.</summary>
internal sealed record CancelRequestView(string By, string? Reason, DateTimeOffset At);

internal sealed record ModelRefView(string Name, int Version);

internal sealed record StepView(
    string Id,
    string Kind,
    string Status,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Artifacts,
    IReadOnlyDictionary<string, string> Outputs,
    string? Error,
    string? DecidedBy,
    string? Reason,
    [property: JsonIgnore] StepResult? Result)
{
    /// <summary><see cref="Outputs"/> is the string form of the typed result, with the keys clients have always read.</summary>
    public static StepView From(StepRecord step) => new(
        step.StepId, step.Kind, StatusNames.Of(step.Status), step.Attempts, step.StartedAt, step.FinishedAt,
        step.Metrics, step.Artifacts, StepOutputs.Of(step.Result), step.Error, step.DecidedBy, step.Reason, step.Result);
}
