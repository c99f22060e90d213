using System.CommandLine;
using MlOpsOrchestrator.Cli.Commands;
using MlOpsOrchestrator.Cli.Runtime;

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
            DecisionCommands.Cancel(context),
            DecisionCommands.Retry(context),
            HistoryCommands.Runs(context),
            HistoryCommands.Show(context),
            ModelCommands.Models(context),
            ModelCommands.Promote(context),
            ModelCommands.Rollback(context),
            FeedbackCommands.Withdraw(context),
            FeedbackCommands.Feedback(context),
            FeedbackCommands.Online(context),
            EvalsCommand.Create(context),
            GcCommand.Create(context),
            MigrateArtifactsCommand.Create(context),
            PredictCommand.Create(context),
            ReplayCommand.Create(context),
            SampleDataCommand.Create(context),
            FeatureCommands.Create(context),
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

        try
        {
            return await result.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ExitCodes.WorkFailed;
        }
        catch (Exception ex)
        {
            // Whatever no command turned into a message of its own: one line here, the stack trace in the log file.
            var logs = CrashLog.Write(result, ex);
            await stderr.WriteLineAsync($"error: {ex.GetType().Name}: {FirstLine(ex.Message)} (an unexpected failure; {(logs is null ? "run again with a writable --home to keep its details" : $"the details are in {logs}")})");
            return ExitCodes.WorkFailed;
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
