using System.CommandLine;
using System.Globalization;
using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops runs [PIPELINE] [--limit N]</c> and <c>mlops show RUN</c>.</summary>
internal static class HistoryCommands
{
    public static Command Runs(CliContext context)
    {
        var pipeline = new Argument<string?>("PIPELINE") { Arity = ArgumentArity.ZeroOrOne, Description = "only this pipeline" };
        var limit = new Option<int>("--limit") { Description = "at most this many, newest first", DefaultValueFactory = _ => 20 };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("runs", "list runs, newest first") { pipeline, limit, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            if (parse.GetValue(limit) < 1)
            {
                await context.Error.WriteLineAsync("error: --limit must be at least 1");
                return ExitCodes.BadInput;
            }

            var now = context.Time.GetUtcNow();
            var name = parse.GetValue(pipeline);
            var runs = (await runtime.Storage.Runs.ListAsync(name, parse.GetValue(limit), ct))
                .Select(r => RunView.From(r, null, now)).ToList();
            var unknown = name is not null && runs.Count == 0 ? await NoRunsOfAsync(runtime, name, ct) : null;
            if (parse.GetValue(json))
            {
                // A script filtering by name reads an empty array as "none yet"; the hint still goes to stderr.
                if (unknown is not null)
                {
                    await context.Error.WriteLineAsync($"note: {unknown}");
                }

                CliJson.Write(context.Out, runs);
                return ExitCodes.Success;
            }

            if (unknown is not null)
            {
                await context.Error.WriteLineAsync($"error: {unknown}");
                return ExitCodes.BadInput;
            }

            if (runs.Count == 0)
            {
                await context.Error.WriteLineAsync("no runs yet; start one with 'mlops run FILE'");
                return ExitCodes.Success;
            }

            var width = runs.Max(r => r.RunId.Length);
            await context.Out.WriteLineAsync($"{"RUN".PadRight(width)}  {"PIPELINE",-24} {"TRIGGER",-12} LEVEL {"STATUS",-17} {"STARTED",-20} DURATION");
            foreach (var r in runs)
            {
                var started = (r.StartedAt ?? r.CreatedAt).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                var duration = r.Duration is { } d ? $"{d.ToString("0.0", CultureInfo.InvariantCulture)}s" : "-";
                await context.Out.WriteLineAsync($"{r.RunId.PadRight(width)}  {r.Pipeline,-24} {r.Trigger,-12} {r.Level,5} {r.Status,-17} {started,-20} {duration}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// What to say when <paramref name="pipeline"/> has no runs: the store knows a pipeline only by its runs, so a
    /// misspelt name and a pipeline never run look alike; the names that do have runs tell the two apart.
    /// </summary>
    private static async Task<string> NoRunsOfAsync(MlOpsRuntime runtime, string pipeline, CancellationToken ct)
    {
        var known = await runtime.Storage.Runs.ListPipelinesAsync(ct);
        return known.Count == 0
            ? $"no pipeline '{Echo.Value(pipeline)}' has runs; no pipeline has runs yet; start one with 'mlops run FILE'"
            : $"no pipeline '{Echo.Value(pipeline)}' has runs; pipelines with runs: {Echo.List(known)}";
    }

    public static Command Show(CliContext context)
    {
        var run = new Argument<string>("RUN") { Description = "a run id, or enough of its start to name one run" };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("show", "every step of a run: state, attempts, times, metrics, artifacts, error; the level and its reasons") { run, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            if (await RunIdPrefix.ResolveAsync(context, runtime, parse.GetValue(run)!, ct) is not { } runId)
            {
                return ExitCodes.BadInput;
            }

            var code = await RunOutput.ReportAsync(context, runtime, runId, parse.GetValue(json), details: true, ct);
            return code == ExitCodes.BadInput ? code : ExitCodes.Success;
        });
        return command;
    }
}
