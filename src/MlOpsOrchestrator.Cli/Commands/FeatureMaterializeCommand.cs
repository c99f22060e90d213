using System.CommandLine;
using MlOpsOrchestrator.ML.Features;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops features materialize VIEW [--full]</c>: brings the view's events in the online store up to date, reading
/// only what is newer than its watermark (all of it with <c>--full</c> or when the view's definition changed), the same
/// work <c>online: { refresh: CRON }</c> does on <c>serve</c>.
/// </summary>
internal static class FeatureMaterializeCommand
{
    public static Command Create(CliContext context)
    {
        var view = new Argument<string>("VIEW") { Description = "the feature view's name" };
        var full = new Option<bool>("--full") { Description = "rebuild the view's online events from the whole source, not from its watermark" };
        var folder = CommonOptions.Features();
        var storage = new StateLocationOptions();
        var command = new Command("materialize", "bring a feature view's online store up to date, incrementally from its watermark") { view, full, folder };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var set = FeatureCommands.Views(context, runtime, Path.GetFullPath(parse.GetValue(folder) ?? "features"));
            if (set is null)
            {
                return ExitCodes.BadInput;
            }

            var name = parse.GetValue(view)!;
            if (set.Find(name) is not { } spec)
            {
                await context.Error.WriteLineAsync($"error: unknown feature view '{name}'{FeatureCommands.Suggest(set)}");
                return ExitCodes.BadInput;
            }

            var materializer = new OnlineMaterializer(runtime.Storage.OnlineFeatures, runtime.Sources, context.Time);
            var (result, problem) = await materializer.MaterializeAsync(spec, parse.GetValue(full), m => context.Error.WriteLine(m), ct);
            if (result is null)
            {
                await context.Error.WriteLineAsync($"error: {problem}");
                return ExitCodes.WorkFailed;
            }

            await context.Out.WriteLineAsync(result.Summary());
            return ExitCodes.Success;
        });
        return command;
    }
}
