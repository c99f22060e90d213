using System.CommandLine;
using MlOpsOrchestrator.Cli.Hosting;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops serve [--pipelines DIR] [--urls URL] [--workers N]</c>: scheduler, executor, dashboard and API in one process.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var pipelines = new Option<string>("--pipelines")
        {
            Description = "the folder of pipeline files to schedule; rescanned while running",
            DefaultValueFactory = _ => "pipelines",
        };
        var urls = new Option<string>("--urls")
        {
            Description = $"where the API and the dashboard listen, ';' between several (default {MlOpsHostSettings.DefaultUrl}; beyond loopback, callers need MLOPS_API_TOKEN; other host names clients use go in MLOPS_ALLOWED_HOSTS)",
            DefaultValueFactory = _ => MlOpsHostSettings.DefaultUrl,
        };
        var promotion = new Option<string>("--promotion-interval")
        {
            Description = "how often promote_when rules are judged (also right after feedback arrives), e.g. 30s or 5m",
            DefaultValueFactory = _ => "1m",
        };
        var workers = CommonOptions.Workers();
        var storage = new StateLocationOptions();
        var command = new Command("serve", "scheduler, executor, dashboard and API in one process: the whole product on one machine") { pipelines, urls, promotion, workers };
        storage.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var problems = new List<string>();
            var interval = CommandLineValues.Duration(parse.GetValue(promotion) ?? "1m", "--promotion-interval", problems, TimeSpan.FromMinutes(1));
            var executors = CommonOptions.WorkersValue(parse, workers, problems);
            if (problems.Count > 0)
            {
                await context.Error.WriteLineAsync($"error: {problems[0]}");
                return ExitCodes.BadInput;
            }

            var settings = MlOpsHostSettings.Create(HostRole.Serve, storage.Resolve(parse), parse.GetValue(pipelines)) with
            {
                Urls = (parse.GetValue(urls) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                PromotionInterval = interval,
                WorkerCount = executors,
            };
            return await HostRunner.RunAsync(context, settings, s => ServeHost.Build(s), ct);
        });
        return command;
    }
}
