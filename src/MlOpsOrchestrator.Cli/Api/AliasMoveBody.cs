using System.Text.Json;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The body of a promote (<c>{ "version": 3, "alias": ..., "reason": ..., "by": ... }</c>, version required) or a
/// rollback (the same without <c>version</c>). The alias defaults to <c>production</c>; <c>by</c> is a note only (the
/// move is recorded as the caller the access rule established). This reads the fields and names the one that is not
/// of its type; whether an alias or a reason is acceptable is the model service's rule
/// (<see cref="Execution.IModelService"/>), the same for every front end.
/// </summary>
internal sealed record AliasMoveBody(int Version, string Alias, string? Reason, string? By)
{
    public static (AliasMoveBody? Body, string? Error) Parse(JsonElement? json, bool promote)
    {
        if (json is not { } body)
        {
            return promote ? (null, "'version' is required: send { \"version\": N }") : (new AliasMoveBody(0, Execution.IModelService.Production, null, null), null);
        }

        if (ApiBody.CheckObject(body, promote ? ["version", "alias", "reason", "by"] : ["alias", "reason", "by"]) is { } shape)
        {
            return (null, shape);
        }

        var version = 0;
        if (promote)
        {
            if (!body.TryGetProperty("version", out var number) || number.ValueKind == JsonValueKind.Null)
            {
                return (null, "'version' is required: the version number to promote");
            }

            if (number.ValueKind != JsonValueKind.Number || !number.TryGetInt32(out version))
            {
                return (null, $"'version' must be a whole number, not {(number.ValueKind == JsonValueKind.Number ? number.GetRawText() : ApiBody.Describe(number.ValueKind))}");
            }
        }

        var (alias, aliasError) = ApiBody.String(body, "alias");
        var (reason, reasonError) = ApiBody.String(body, "reason");
        var (by, byError) = ApiBody.String(body, "by");
        if ((aliasError ?? reasonError ?? byError) is { } error)
        {
            return (null, error);
        }

        if ((by is null ? null : InputText.LineProblem(by, InputText.MaxNameLength)) is { } byProblem)
        {
            return (null, $"'by' {byProblem}");
        }

        return (new AliasMoveBody(version, alias ?? Execution.IModelService.Production, reason, string.IsNullOrWhiteSpace(by) ? null : by.Trim()), null);
    }
}
