using System.CommandLine;
using MlOpsOrchestrator.Cli.Hosting;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops worker [--queues Q...]</c>: an executor only, for scale-out. It shares work with <c>serve</c> and other
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
        var storage = new StateLocationOptions();
        var command = new Command("worker", "an executor only, for scale-out: more of them on more machines share the work through PostgreSQL") { queues };
        storage.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var settings = MlOpsHostSettings.Create(HostRole.Worker, storage.Resolve(parse), null) with
            {
                Queues = parse.GetValue(queues) ?? ["default"],
            };
            return HostRunner.RunAsync(context, settings, s => WorkerHost.Build(s), ct);
        });
        return command;
    }
}
