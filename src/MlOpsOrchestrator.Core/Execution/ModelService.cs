using System.Globalization;
using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// Checks a move, makes it through <see cref="IModelRegistry.MoveAliasAsync"/> (atomic and audited) and logs it with
/// the model, alias, versions and who asked. The recorded reason starts with what the move was (<c>promote</c>,
/// <see cref="AliasRollback.Reason"/>) so later rollbacks recognise it; the caller's reason follows after a colon.
/// </summary>
internal sealed class ModelService(IModelRegistry registry, TimeProvider time, ILogger<IModelService> logger) : IModelService
{
    private const string PromoteReason = "promote";

    /// <summary>The reason recorded on a withdrawal.</summary>
    public const string WithdrawReason = "withdraw";

    public async Task<IReadOnlyList<ModelSummary>> ListAsync(CancellationToken ct)
    {
        var summaries = new List<ModelSummary>();
        foreach (var name in (await registry.ListNamesAsync(ct)).Order(StringComparer.Ordinal))
        {
            if (await GetAsync(name, ct) is { } model)
            {
                summaries.Add(Summarise(model));
            }
        }

        return summaries;
    }

    public async Task<ModelDetails?> GetAsync(string name, CancellationToken ct)
    {
        var versions = await registry.ListVersionsAsync(name, ct);
        return versions.Count == 0
            ? null
            : new ModelDetails(name, await registry.GetAliasesAsync(name, ct), versions, await registry.GetAliasHistoryAsync(name, ct))
            {
                Routes = await registry.GetRoutesAsync(name, ct),
            };
    }

    public async Task<AliasChange> PromoteAsync(string name, int version, string alias, string by, string? reason, CancellationToken ct)
    {
        var note = Check(alias, reason);
        var versions = await VersionsAsync(name, ct);
        if (!versions.Any(v => v.Version == version))
        {
            throw new ModelControlException(
                $"model '{Echo.Value(name)}' has no version {version}; versions: {Echo.List(versions.Select(v => v.Version.ToString(CultureInfo.InvariantCulture)))}",
                notFound: true);
        }

        var change = await registry.MoveAliasAsync(name, alias, version, by, With(PromoteReason, note), time.GetUtcNow(), ct);
        logger.LogInformation("Model {Model} {Alias}: version {Previous} -> version {Version}, promoted by {By}", name, alias, change.PreviousVersion, change.Version, by);
        return change;
    }

    public async Task<AliasChange> RollbackAsync(string name, string alias, string by, string? reason, CancellationToken ct)
    {
        var note = Check(alias, reason);
        await VersionsAsync(name, ct);
        var history = (await registry.GetAliasHistoryAsync(name, ct)).Where(h => h.Alias == alias).ToList();
        if (history.Count == 0)
        {
            throw new ModelControlException($"model '{Echo.Value(name)}' has no alias '{alias}' to roll back", notFound: true);
        }

        if (history[^1].Removed)
        {
            throw new ModelControlException(
                $"'{alias}' of '{Echo.Value(name)}' was withdrawn; 'mlops promote {Echo.Value(name)} VERSION --alias {alias}' sets it again");
        }

        if (AliasRollback.Target(history, alias) is not { } previous)
        {
            throw new ModelControlException(
                $"'{alias}' of '{Echo.Value(name)}' has no earlier version to roll back to (version {history[^1].Version} is the first it pointed at that was not rolled back)");
        }

        var change = await registry.MoveAliasAsync(name, alias, previous, by, With(AliasRollback.Reason(history[^1].Version), note), time.GetUtcNow(), ct);
        logger.LogInformation("Model {Model} {Alias}: version {Previous} -> version {Version}, rolled back by {By}", name, alias, change.PreviousVersion, change.Version, by);
        return change;
    }

    public async Task<AliasChange> WithdrawAsync(string name, string alias, string by, string? reason, CancellationToken ct)
    {
        var note = Check(alias, reason);
        if (alias == IModelService.Production)
        {
            throw new ModelControlException(
                $"'{IModelService.Production}' cannot be withdrawn: it answers every request that names no alias; promote or roll it back instead",
                input: "alias");
        }

        await VersionsAsync(name, ct);
        var aliases = await registry.GetAliasesAsync(name, ct);
        if (!aliases.ContainsKey(alias))
        {
            throw new ModelControlException(
                $"model '{Echo.Value(name)}' has no alias '{alias}' to withdraw; aliases: {Echo.List(aliases.Keys.Order(StringComparer.Ordinal))}", notFound: true);
        }

        AliasChange change;
        try
        {
            change = await registry.RemoveAliasAsync(name, alias, by, With(WithdrawReason, note), time.GetUtcNow(), ct);
        }
        catch (KeyNotFoundException)
        {
            throw new ModelControlException($"model '{Echo.Value(name)}' has no alias '{alias}' to withdraw (it was just removed)", notFound: true);
        }

        logger.LogInformation("Model {Model} {Alias}: version {Version} withdrawn by {By}", name, alias, change.Version, by);
        return change;
    }

    private static ModelSummary Summarise(ModelDetails model)
    {
        var production = model.Aliases.TryGetValue(IModelService.Production, out var v) ? model.Versions.FirstOrDefault(x => x.Version == v) : null;
        var primary = (production ?? model.Versions[^1]).Properties.TryGetValue(ModelProperties.Task, out var task)
            && Enum.TryParse<MlTask>(task, ignoreCase: true, out var parsed) ? Metrics.Default(parsed) : null;
        return new ModelSummary(
            model.Name,
            production?.Version,
            model.Versions[^1].Version,
            primary,
            production?.Metrics ?? new Dictionary<string, double>(),
            model.AliasHistory.LastOrDefault(h => h.Alias == IModelService.Production)?.At);
    }

    /// <summary>The trimmed reason, after checking the alias and the reason.</summary>
    private static string? Check(string alias, string? reason)
    {
        if (InputText.NameProblem(alias) is { } aliasProblem)
        {
            throw new ModelControlException($"the alias '{Echo.Value(alias)}' {aliasProblem}", input: "alias");
        }

        var note = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if ((note is null ? null : InputText.TextProblem(note, InputText.MaxReasonLength)) is { } reasonProblem)
        {
            throw new ModelControlException($"the reason {reasonProblem}", input: "reason");
        }

        return note;
    }

    private async Task<IReadOnlyList<ModelVersion>> VersionsAsync(string name, CancellationToken ct)
    {
        var versions = await registry.ListVersionsAsync(name, ct);
        if (versions.Count > 0)
        {
            return versions;
        }

        var names = await registry.ListNamesAsync(ct);
        throw new ModelControlException(
            $"no model named '{Echo.Value(name)}'{(names.Count > 0 ? $"; models: {Echo.List(names)}" : "; a pipeline's deploy step registers one")}",
            notFound: true);
    }

    private static string With(string what, string? note) => note is null ? what : $"{what}: {note}";
}
