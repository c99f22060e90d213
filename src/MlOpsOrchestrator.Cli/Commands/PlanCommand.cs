using System.CommandLine;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Planning;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops plan PATH</c>: execution order, triggers with their next fire times, and the maturity level. A folder plans
/// every pipeline file in it, one after the other, as <c>validate</c> reads folders; <c>--json</c> then prints an array.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("PATH") { Description = "a pipeline file, or a folder of *.yaml" };
        var json = CommonOptions.Json();
        var dataRoot = CommonOptions.DataRoot();
        var features = CommonOptions.Features();
        var command = new Command("plan", "show the steps in order, the triggers' next fire times and the maturity level") { path, json, dataRoot, features };
        command.SetAction(parse => Run(context, parse.GetValue(path)!, parse.GetValue(json), parse.GetValue(dataRoot), parse.GetValue(features)));
        return command;
    }

    private static int Run(CliContext context, string path, bool json, string? dataRoot, string? features)
    {
        var folder = Directory.Exists(path);
        if (!folder && !File.Exists(path))
        {
            context.Error.WriteLine($"error: '{path}' does not exist");
            return ExitCodes.BadInput;
        }

        var loader = context.Loader(dataRoot, features);
        IReadOnlyList<LoadResult> results = folder ? loader.LoadAll(PipelineFiles.Expand([path]).Where(f => !FeatureViewFiles.IsView(f))) : [loader.LoadFile(path)];
        if (results.Count == 0)
        {
            context.Error.WriteLine($"error: no pipeline files (*.yaml, *.yml) found in '{path}'");
            return ExitCodes.BadInput;
        }

        var now = context.Time.GetUtcNow();
        var plans = new List<PipelinePlan>();
        foreach (var result in results)
        {
            if (result.Definition is null)
            {
                result.Errors.ToList().ForEach(e => context.Error.WriteLine(e.ToString()));
                continue;
            }

            plans.Add(PlanBuilder.Build(result.Definition, context.Cron, now));
        }

        if (json && (folder || plans.Count > 0))
        {
            // A file keeps the one-object shape scripts already read; a folder is an array, even of one.
            CliJson.Write(context.Out, folder ? (object)plans : plans[0]);
        }
        else
        {
            for (var i = 0; i < plans.Count; i++)
            {
                if (i > 0)
                {
                    context.Out.WriteLine();
                }

                PlanText.Write(context.Out, plans[i], TimeZoneInfo.FindSystemTimeZoneById(plans[i].Timezone));
            }
        }

        var failed = results.Count - plans.Count;
        if (failed > 0)
        {
            var errors = results.Sum(r => r.Errors.Count);
            context.Error.WriteLine(folder
                ? $"{errors} error(s) in {failed} of {results.Count} file(s), not planned; fix them and run 'mlops plan' again"
                : $"{errors} error(s); fix them and run 'mlops plan' again");
            return ExitCodes.BadInput;
        }

        return ExitCodes.Success;
    }
}
