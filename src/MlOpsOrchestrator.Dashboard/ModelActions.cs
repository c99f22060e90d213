using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>Promote a version to an alias, or roll the alias back to the version it pointed at before; both audited.</summary>
internal static class ModelActions
{
    public static async Task<ActionResult> MoveAsync(PageRequest request)
    {
        var (name, action) = (request.Route("name"), request.Route("action"));
        var back = "/models/" + Uri.EscapeDataString(name);
        var form = await request.Http.Request.ReadFormAsync(request.Aborted);
        var alias = form["alias"].ToString() is { Length: > 0 } given ? given.Trim() : ModelPage.Production;
        if (Security.InputText.NameProblem(alias) is { } aliasProblem)
        {
            return ActionResult.Problem(StatusCodes.Status400BadRequest, "Invalid alias", $"The alias '{alias}' {aliasProblem}.", back, "Back to the model");
        }

        var registry = request.Services.Registry;
        var by = DashboardAccess.Actor(request.Http);
        var now = request.Services.Time.GetUtcNow();
        if (string.Equals(action, "rollback", StringComparison.OrdinalIgnoreCase))
        {
            var history = await registry.GetAliasHistoryAsync(name, request.Aborted);
            var last = ModelPage.LastMove(history, alias);
            if (last is null || Stores.AliasRollback.Target(history, alias) is not { } previous)
            {
                return ActionResult.Problem(StatusCodes.Status400BadRequest, "Nothing to roll back", last is null
                    ? $"Model '{name}' has no alias '{alias}' to roll back."
                    : $"'{alias}' of '{name}' has no earlier version to roll back to (it was first set to version {last.Version}).", back, "Back to the model");
            }

            await registry.MoveAliasAsync(name, alias, previous, by, Stores.AliasRollback.Reason(last.Version), now, request.Aborted);
            return ActionResult.Redirect(back);
        }

        if (!int.TryParse(form["version"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return ActionResult.Problem(StatusCodes.Status400BadRequest, "No version", "Promoting needs the version number to promote.", back, "Back to the model");
        }

        try
        {
            await registry.MoveAliasAsync(name, alias, version, by, "promote", now, request.Aborted);
            return ActionResult.Redirect(back);
        }
        catch (KeyNotFoundException)
        {
            return ActionResult.Problem(StatusCodes.Status404NotFound, "Unknown version", $"Model '{name}' has no version {version}.", back, "Back to the model");
        }
    }
}
