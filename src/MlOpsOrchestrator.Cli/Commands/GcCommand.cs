using System.CommandLine;
using System.Globalization;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops gc [--dry-run] [--json]</c>: deletes what the pipelines' <c>retention:</c> no longer keeps, listing it.</summary>
internal static class GcCommand
{
    public static Command Create(CliContext context)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "list what would be deleted; delete nothing" };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("gc", "delete model versions, runs and artifacts that retention no longer keeps (never what an alias points to)") { dryRun, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var report = await runtime.Collector.CollectAsync(parse.GetValue(dryRun), ct);
            if (parse.GetValue(json))
            {
                CliJson.Write(context.Out, report);
                return ExitCodes.Success;
            }

            var verb = report.DryRun ? "would delete" : "deleted";
            foreach (var v in report.Versions)
            {
                await context.Out.WriteLineAsync($"{verb} model {v.Model} version {v.Version} (run {v.RunId}, registered {Time(v.CreatedAt)})");
            }

            foreach (var r in report.Runs)
            {
                await context.Out.WriteLineAsync($"{verb} run {r.RunId} ({r.Pipeline}, {r.Status}{(r.FinishedAt is { } at ? $", ended {Time(at)}" : "")})");
            }

            foreach (var a in report.Artifacts)
            {
                await context.Out.WriteLineAsync($"{verb} artifact {a}");
            }

            await context.Error.WriteLineAsync(
                $"{(report.DryRun ? "dry run: " : "")}{report.Versions.Count} model versions, {report.Runs.Count} runs, {report.Artifacts.Count} artifact files {(report.DryRun ? "would be deleted; run 'mlops gc' to delete them" : "deleted")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";
}
