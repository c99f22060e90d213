using System.CommandLine;
using System.Globalization;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops models [NAME]</c>, <c>mlops promote NAME VERSION</c>, <c>mlops rollback NAME</c>.</summary>
internal static class ModelCommands
{
    public static Command Models(CliContext context)
    {
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "a registered model" };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("models", "versions with metrics, lineage and aliases, and the alias history") { name, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var names = parse.GetValue(name) is { } one ? [one] : (await runtime.Models.ListAsync(ct)).Select(m => m.Name).ToList();
            var views = new List<ModelsView>();
            foreach (var n in names)
            {
                var view = await ModelsView.LoadAsync(runtime.Models, n, ct);
                if (view is null)
                {
                    await context.Error.WriteLineAsync($"error: no model named '{n}'; 'mlops models' lists them");
                    return ExitCodes.BadInput;
                }

                views.Add(view);
            }

            if (parse.GetValue(json))
            {
                if (parse.GetValue(name) is not null)
                {
                    CliJson.Write(context.Out, views[0]);
                }
                else
                {
                    CliJson.Write(context.Out, views);
                }
            }
            else
            {
                views.ForEach(v => Write(context.Out, v));
                if (views.Count == 0)
                {
                    await context.Error.WriteLineAsync("no models registered yet; a pipeline's deploy step registers them");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Promote(CliContext context)
    {
        var name = new Argument<string>("NAME");
        var version = new Argument<int>("VERSION");
        var alias = AliasOption();
        var by = DecisionCommands.ByOption();
        var reason = ReasonOption();
        var storage = new StateLocationOptions();
        var command = new Command("promote", "point an alias (default production) at a version") { name, version, alias, by, reason };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var (n, v, a) = (parse.GetValue(name)!, parse.GetValue(version), parse.GetValue(alias)!);
            if (await MoveAsync(context, () => runtime.Models.PromoteAsync(n, v, a, AccessPolicy.Actor(CliUser.Name, parse.GetValue(by)), parse.GetValue(reason), ct)) is not { } change)
            {
                return ExitCodes.BadInput;
            }

            await context.Out.WriteLineAsync($"{n} {a}: {Describe(change.PreviousVersion)} -> version {change.Version}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Rollback(CliContext context)
    {
        var name = new Argument<string>("NAME");
        var alias = AliasOption();
        var by = DecisionCommands.ByOption();
        var reason = ReasonOption();
        var storage = new StateLocationOptions();
        var command = new Command("rollback", "move an alias back to the version it pointed at before") { name, alias, by, reason };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var (n, a) = (parse.GetValue(name)!, parse.GetValue(alias)!);
            if (await MoveAsync(context, () => runtime.Models.RollbackAsync(n, a, AccessPolicy.Actor(CliUser.Name, parse.GetValue(by)), parse.GetValue(reason), ct)) is not { } change)
            {
                return ExitCodes.BadInput;
            }

            await context.Out.WriteLineAsync($"{n} {a}: version {change.PreviousVersion} -> version {change.Version} (rolled back)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string?> ReasonOption() => new("--reason") { Description = "why, recorded in the alias history" };

    /// <summary>Makes the move, or writes why it was refused (naming the option for a bad alias or reason) and returns null.</summary>
    private static async Task<Stores.AliasChange?> MoveAsync(CliContext context, Func<Task<Stores.AliasChange>> move)
    {
        try
        {
            return await move();
        }
        catch (ModelControlException ex)
        {
            await context.Error.WriteLineAsync($"error: {(ex.Field is { } field ? $"--{field}: " : "")}{ex.Message}");
            return null;
        }
    }

    private static Option<string> AliasOption() => new("--alias") { Description = "the alias to move", DefaultValueFactory = _ => "production" };

    private static string Describe(int? version) => version is null ? "(unset)" : $"version {version}";

    /// <summary><c> (10% by customer_id)</c> for a routed alias (a canary), else nothing.</summary>
    private static string Share(double? traffic, string? key) => traffic is { } share ? $" ({new Stores.AliasRoute(share, key)})" : "";

    private static void Write(TextWriter output, ModelsView view)
    {
        output.WriteLine($"model {view.Name}  aliases: {(view.Aliases.Count == 0 ? "none" : string.Join(", ", view.Aliases.Select(a => $"{a.Key} -> {a.Value}{Share(view.Routes.GetValueOrDefault(a.Key)?.Traffic, view.Routes.GetValueOrDefault(a.Key)?.Key)}")))}");
        foreach (var v in view.Versions)
        {
            var metrics = string.Join(" ", v.Metrics.Select(m => $"{m.Key}={m.Value.ToString("0.####", CultureInfo.InvariantCulture)}"));
            var tags = string.Join(",", view.Aliases.Where(a => a.Value == v.Version).Select(a => a.Key));
            output.WriteLine($"  v{v.Version,-3} {v.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}  run {v.RunId}  data {v.DataHash[..Math.Min(12, v.DataHash.Length)]}  {metrics}{(tags.Length > 0 ? $"  [{tags}]" : "")}");
        }

        foreach (var h in view.AliasHistory)
        {
            var move = h.Removed ? $"version {h.Version} withdrawn" : $"{Describe(h.PreviousVersion)} -> version {h.Version}{Share(h.Traffic, h.Key)}";
            output.WriteLine($"  {h.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}  {h.Alias}: {move} by {h.By}{(h.Reason is null ? "" : $" ({h.Reason})")}");
        }
    }
}
