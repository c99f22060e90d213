using System.CommandLine;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops run FILE [--mode full|incremental] [--trigger ID] [--param K=V]...</c>: one run now, in this process. The file
/// is read once and the run is started by the run service under the pipeline's concurrency policy, like a run asked
/// for through the API: the YAML stored with the run is the YAML that runs.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "a pipeline file" };
        var mode = new Option<string?>("--mode") { Description = "full or incremental (default: the trigger's mode, else full)" };
        mode.AcceptOnlyFromAmong("full", "incremental");
        var trigger = new Option<string?>("--trigger") { Description = "run as this trigger would (its mode and steps)" };
        var parameters = new Option<string[]>("--param") { Description = "K=V, recorded with the run", AllowMultipleArgumentsPerToken = false };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("run", "run a pipeline now, in this process, with live progress on stderr") { file, mode, trigger, parameters, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await context.Error.WriteLineAsync($"error: '{path}' does not exist or is not a file");
                return ExitCodes.BadInput;
            }

            var (loaded, yaml) = runtime.Loader.ReadFile(path);
            if (loaded.Definition is null || yaml is null)
            {
                loaded.Errors.ToList().ForEach(e => context.Error.WriteLine(e.ToString()));
                await context.Error.WriteLineAsync($"{loaded.Errors.Count} error(s); 'mlops validate {path}' lists them too");
                return ExitCodes.BadInput;
            }

            var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(parameters) ?? [])
            {
                var cut = pair.IndexOf('=', StringComparison.Ordinal);
                if (cut <= 0)
                {
                    await context.Error.WriteLineAsync($"error: --param '{pair}' must look like KEY=VALUE");
                    return ExitCodes.BadInput;
                }

                pairs[pair[..cut]] = pair[(cut + 1)..];
            }

            var request = new RunRequest
            {
                Definition = loaded.Definition,
                Yaml = yaml,
                Trigger = parse.GetValue(trigger) ?? RunRequest.ManualTrigger,
                Mode = parse.GetValue(mode) switch { "full" => RunMode.Full, "incremental" => RunMode.Incremental, _ => null },
                Parameters = pairs,
            };
            StartResult started;
            try
            {
                started = await runtime.RunService.StartAsync(request, CliUser.Name, ct);
            }
            catch (RunControlException ex) when (ex.Parameter is not null)
            {
                await context.Error.WriteLineAsync($"error: --param: {ex.Message}");
                return ExitCodes.BadInput;
            }

            var run = started.Run;
            await context.Error.WriteLineAsync($"run {run.RunId}: {run.Pipeline}, level {run.Level}, trigger {run.Trigger}, mode {(run.Mode == RunMode.Full ? "full" : "incremental")}");
            if (started.Outcome != StartOutcome.Queued)
            {
                await context.Error.WriteLineAsync($"run {run.RunId} was not started: {started.Reason}");
                return await RunOutput.ReportAsync(context, runtime, run.RunId, parse.GetValue(json), details: false, ct);
            }

            return await RunOutput.ExecuteAndReportAsync(context, runtime, run.RunId, parse.GetValue(json), ct);
        });
        return command;
    }
}
