using System.CommandLine;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops approve RUN STEP</c>, <c>mlops reject RUN STEP --reason TEXT</c>, <c>mlops resume RUN</c>: each asks the run
/// service, which checks and records the request and dispatches the run to this process, which continues it.
/// </summary>
internal static class DecisionCommands
{
    public static Command Approve(CliContext context)
    {
        var (run, step, json, storage) = (RunArgument(), new Argument<string>("STEP"), CommonOptions.Json(), new StateLocationOptions());
        var by = ByOption();
        var command = new Command("approve", "approve a waiting manual step and continue the run") { run, step, by, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var id = parse.GetValue(run)!;
            await runtime.RunService.ApproveAsync(id, parse.GetValue(step)!, AccessPolicy.Actor(CliUser.Name, parse.GetValue(by)), ct);
            return await RunOutput.ExecuteAndReportAsync(context, runtime, id, parse.GetValue(json), ct);
        });
        return command;
    }

    public static Command Reject(CliContext context)
    {
        var (run, step, json, storage) = (RunArgument(), new Argument<string>("STEP"), CommonOptions.Json(), new StateLocationOptions());
        var reason = new Option<string>("--reason") { Description = "why (recorded in the run)", Required = true };
        var by = ByOption();
        var command = new Command("reject", "reject a waiting manual step; the run ends as cancelled") { run, step, reason, by, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var id = parse.GetValue(run)!;
            await runtime.RunService.RejectAsync(id, parse.GetValue(step)!, AccessPolicy.Actor(CliUser.Name, parse.GetValue(by)), parse.GetValue(reason), ct);
            await RunOutput.ExecuteAndReportAsync(context, runtime, id, parse.GetValue(json), ct);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Resume(CliContext context)
    {
        var (run, json, storage) = (RunArgument(), CommonOptions.Json(), new StateLocationOptions());
        var command = new Command("resume", "continue an interrupted or failed run after its last finished step") { run, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var id = parse.GetValue(run)!;
            await runtime.RunService.ResumeAsync(id, CliUser.Name, ct);
            return await RunOutput.ExecuteAndReportAsync(context, runtime, id, parse.GetValue(json), ct);
        });
        return command;
    }

    public static Command Cancel(CliContext context)
    {
        var (run, json, storage) = (RunArgument(), CommonOptions.Json(), new StateLocationOptions());
        var reason = new Option<string?>("--reason") { Description = "why (recorded in the run)" };
        var command = new Command("cancel", "cancel a running or waiting run: its executing step stops at its next check, the run ends cancelled") { run, reason, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var cancelled = await runtime.RunService.CancelAsync(parse.GetValue(run)!, CliUser.Name, parse.GetValue(reason), ct);
            if (!parse.GetValue(json))
            {
                await context.Error.WriteLineAsync(cancelled.Status == Runs.RunStatus.Cancelled
                    ? $"run {cancelled.RunId} cancelled"
                    : $"run {cancelled.RunId}: cancel requested; its executor stops it at the next check of the executing step (within seconds) and ends it cancelled");
            }

            await RunOutput.ReportAsync(context, runtime, cancelled.RunId, parse.GetValue(json), details: false, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Retry(CliContext context)
    {
        var (run, json, storage) = (RunArgument(), CommonOptions.Json(), new StateLocationOptions());
        var command = new Command("retry", "retry a failed or cancelled run as a new run from its failed step: the steps that succeeded are carried over") { run, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var retry = await runtime.RunService.RetryAsync(parse.GetValue(run)!, CliUser.Name, ct);
            if (!parse.GetValue(json))
            {
                await context.Error.WriteLineAsync($"run {retry.RunId} retries run {retry.RetryOf}");
            }

            return await RunOutput.ExecuteAndReportAsync(context, runtime, retry.RunId, parse.GetValue(json), ct);
        });
        return command;
    }

    /// <summary>
    /// <c>--by NAME</c>: a name noted with the decision. The OS user running the command is what is recorded
    /// (<c>bob</c>, or <c>bob for alice</c> with <c>--by alice</c>), as the API and the dashboard record their caller.
    /// </summary>
    internal static Option<string?> ByOption() =>
        new("--by") { Description = "a name to note with the decision, e.g. who asked for it; the OS user is recorded anyway ('OSUSER for NAME')" };

    private static Argument<string> RunArgument() => new("RUN") { Description = "a run id ('mlops runs' lists them)" };
}
