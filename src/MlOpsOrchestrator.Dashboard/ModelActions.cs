using System.Globalization;
using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// Promote a version to an alias, roll the alias back, or withdraw a challenger alias, through the model service (<see cref="IModelService"/>):
/// the same checks and the same audit record as the CLI and the API, with the dashboard's caller as who asked.
/// </summary>
internal static class ModelActions
{
    public static async Task<ActionResult> MoveAsync(PageRequest request)
    {
        var (name, action) = (request.Route("name"), request.Route("action"));
        var back = "/models/" + Uri.EscapeDataString(name);
        var form = await request.Http.Request.ReadFormAsync(request.Aborted);
        var alias = form["alias"].ToString() is { Length: > 0 } given ? given.Trim() : ModelPage.Production;
        var reason = form["reason"].ToString() is { Length: > 0 } text ? text : null;
        var models = request.Services.Models;
        var by = DashboardAccess.Actor(request.Http);
        var rollback = string.Equals(action, "rollback", StringComparison.OrdinalIgnoreCase);
        var withdraw = string.Equals(action, "withdraw", StringComparison.OrdinalIgnoreCase);
        var version = 0;
        if (!rollback && !withdraw && !int.TryParse(form["version"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out version))
        {
            return ActionResult.Problem(StatusCodes.Status400BadRequest, "No version", "Promoting needs the version number to promote.", back, "Back to the model");
        }

        try
        {
            _ = withdraw
                ? await models.WithdrawAsync(name, alias, by, reason, request.Aborted)
                : rollback
                ? await models.RollbackAsync(name, alias, by, reason, request.Aborted)
                : await models.PromoteAsync(name, version, alias, by, reason, request.Aborted);
            return ActionResult.Redirect(back);
        }
        catch (ModelControlException ex)
        {
            var (status, title) = ex.Field is not null ? (StatusCodes.Status400BadRequest, $"Invalid {ex.Field}")
                : ex.NotFound ? (StatusCodes.Status404NotFound, withdraw ? "Nothing to withdraw" : rollback ? "Nothing to roll back" : "Unknown version")
                : (StatusCodes.Status409Conflict, "Nothing to roll back");
            return ActionResult.Problem(status, title, Sentence(ex.Message), back, "Back to the model");
        }
    }

    private static string Sentence(string message) => $"{char.ToUpperInvariant(message[0])}{message[1..]}.";
}
