using System.CommandLine;
using MlOpsOrchestrator.Cli.Hosting;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops worker [--queues Q...] [--workers N]</c>: an executor only, for scale-out. It shares work with <c>serve</c> and other
/// workers through PostgreSQL, so it refuses to start on the embedded default, whose queue lives in one process.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        var queues = new Option<string[]>("--queues")
        {
            Description = "the queues to take runs from (default: default)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["default"],
        };
        var workers = CommonOptions.Workers();
        var storage = new StateLocationOptions();
        var command = new Command("worker", "an executor only, for scale-out: more of them on more machines share the work through PostgreSQL") { queues, workers };
        storage.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var problems = new List<string>();
            var executors = CommonOptions.WorkersValue(parse, workers, problems);
            if (problems.Count > 0)
            {
                await context.Error.WriteLineAsync($"error: {problems[0]}");
                return ExitCodes.BadInput;
            }

            var settings = MlOpsHostSettings.Create(HostRole.Worker, storage.Resolve(parse), null) with
            {
                Queues = parse.GetValue(queues) ?? ["default"],
                WorkerCount = executors,
            };
            return await HostRunner.RunAsync(context, settings, s => WorkerHost.Build(s), ct);
        });
        return command;
    }
}
