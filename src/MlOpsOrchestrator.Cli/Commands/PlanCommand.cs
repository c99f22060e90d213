using System.CommandLine;
using MlOpsOrchestrator.Planning;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops plan FILE</c>: execution order, triggers with their next fire times, and the maturity level.</summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "a pipeline file" };
        var json = CommonOptions.Json();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("plan", "show the steps in order, the triggers' next fire times and the maturity level") { file, json, dataRoot };
        command.SetAction(parse => Run(context, parse.GetValue(file)!, parse.GetValue(json), parse.GetValue(dataRoot)));
        return command;
    }

    private static int Run(CliContext context, string file, bool json, string? dataRoot)
    {
        if (!File.Exists(file))
        {
            context.Error.WriteLine($"error: '{file}' does not exist or is not a file");
            return ExitCodes.BadInput;
        }

        var result = context.Loader(dataRoot).LoadFile(file);
        if (result.Definition is null)
        {
            foreach (var error in result.Errors)
            {
                context.Error.WriteLine(error.ToString());
            }

            context.Error.WriteLine($"{result.Errors.Count} error(s); fix them and run 'mlops plan' again");
            return ExitCodes.BadInput;
        }

        var plan = PlanBuilder.Build(result.Definition, context.Cron, context.Time.GetUtcNow());
        if (json)
        {
            CliJson.Write(context.Out, plan);
        }
        else
        {
            PlanText.Write(context.Out, plan, TimeZoneInfo.FindSystemTimeZoneById(plan.Timezone));
        }

        return ExitCodes.Success;
    }
}
