using System.CommandLine;
using MlOpsOrchestrator.Cli.Commands;

namespace MlOpsOrchestrator.Cli;

/// <summary>
/// The <c>mlops</c> command line. Runs in-process with explicit writers so tests exercise exactly what users run.
/// </summary>
public static class MlOpsCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct, TimeProvider? time = null)
    {
        var context = new CliContext(stdout, stderr, time ?? TimeProvider.System);
        var root = new RootCommand("mlops: continuous training pipelines on ML.NET, Quartz and Hangfire")
        {
            ValidateCommand.Create(context),
            PlanCommand.Create(context),
            RunCommand.Create(context),
            DecisionCommands.Approve(context),
            DecisionCommands.Reject(context),
            DecisionCommands.Resume(context),
            HistoryCommands.Runs(context),
            HistoryCommands.Show(context),
            ModelCommands.Models(context),
            ModelCommands.Promote(context),
            ModelCommands.Rollback(context),
            PredictCommand.Create(context),
            SampleDataCommand.Create(context),
            FeedCommand.Create(context),
            ServeCommand.Create(context),
            WorkerCommand.Create(context),
        };

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}");
            }

            await stderr.WriteLineAsync("run 'mlops --help' (or 'mlops COMMAND --help') for usage");
            return ExitCodes.BadInput;
        }

        return await result.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, ct);
    }
}
