using System.Text.Json;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The body of an approve (<c>{ "by": ... }</c>, optional) or a reject (<c>{ "reason": ..., "by": ... }</c>, reason
/// required). <c>by</c> is a note only: the decision is recorded as the caller the access rule established. This
/// reads the fields and names the one that is not text; whether a rejection has a usable reason is the run service's
/// rule (<see cref="Execution.IRunService.RejectAsync"/>), the same for every front end.
/// </summary>
internal sealed record DecisionBody(string? By, string? Reason)
{
    public static (DecisionBody? Body, string? Error) Parse(JsonElement? json, bool reasonRequired)
    {
        if (json is not { } body)
        {
            return (new DecisionBody(null, null), null);
        }

        if (ApiBody.CheckObject(body, reasonRequired ? ["reason", "by"] : ["by"]) is { } shape)
        {
            return (null, shape);
        }

        var (by, byError) = ApiBody.String(body, "by");
        var (reason, reasonError) = reasonRequired ? ApiBody.String(body, "reason") : (null, null);
        if ((byError ?? reasonError) is { } error)
        {
            return (null, error);
        }

        if ((by is null ? null : InputText.LineProblem(by, InputText.MaxNameLength)) is { } byProblem)
        {
            return (null, $"'by' {byProblem}");
        }

        if ((reason is null ? null : InputText.TextProblem(reason.Trim(), InputText.MaxReasonLength)) is { } reasonProblem)
        {
            return (null, $"'reason' {reasonProblem}");
        }

        return (new DecisionBody(string.IsNullOrWhiteSpace(by) ? null : by.Trim(), reason?.Trim()), null);
    }
}
