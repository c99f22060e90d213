using System.CommandLine;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops approve RUN STEP</c>, <c>mlops reject RUN STEP --reason TEXT</c>, <c>mlops resume RUN</c>: each continues the run in this process.</summary>
internal static class DecisionCommands
{
    public static Command Approve(CliContext context)
    {
        var (run, step, json, storage) = (RunArgument(), new Argument<string>("STEP"), CommonOptions.Json(), new StorageOptions());
        var by = new Option<string?>("--by") { Description = "who approves (default: the OS user)" };
        var command = new Command("approve", "approve a waiting manual step and continue the run") { run, step, by, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var id = parse.GetValue(run)!;
            await runtime.Control.ApproveAsync(id, parse.GetValue(step)!, parse.GetValue(by) ?? Environment.UserName, ct);
            return await RunOutput.ExecuteAndReportAsync(context, runtime, id, parse.GetValue(json), ct);
        });
        return command;
    }

    public static Command Reject(CliContext context)
    {
        var (run, step, json, storage) = (RunArgument(), new Argument<string>("STEP"), CommonOptions.Json(), new StorageOptions());
        var reason = new Option<string>("--reason") { Description = "why (recorded in the run)", Required = true };
        var by = new Option<string?>("--by") { Description = "who rejects (default: the OS user)" };
        var command = new Command("reject", "reject a waiting manual step; the run ends as cancelled") { run, step, reason, by, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var id = parse.GetValue(run)!;
            await runtime.Control.RejectAsync(id, parse.GetValue(step)!, parse.GetValue(by) ?? Environment.UserName, parse.GetValue(reason)!, ct);
            await RunOutput.ExecuteAndReportAsync(context, runtime, id, parse.GetValue(json), ct);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Resume(CliContext context)
    {
        var (run, json, storage) = (RunArgument(), CommonOptions.Json(), new StorageOptions());
        var command = new Command("resume", "continue an interrupted or failed run after its last finished step") { run, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var id = parse.GetValue(run)!;
            await runtime.Control.PrepareResumeAsync(id, ct);
            return await RunOutput.ExecuteAndReportAsync(context, runtime, id, parse.GetValue(json), ct);
        });
        return command;
    }

    private static Argument<string> RunArgument() => new("RUN") { Description = "a run id ('mlops runs' lists them)" };
}
