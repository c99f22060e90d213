using System.CommandLine;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Cli.Replay;
using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.ML.Replay;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage.Sources;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops replay FILE [--from T] [--to T] [--baseline static|full:CRON]... [--period day|week] [--json] [--out DIR]
/// [--save [--home DIR]]</c>: what the pipeline would have done over its data's history, against baselines, evaluated
/// prequentially. Every run happens in a throwaway home deleted at the end; the user's home is written only with
/// <c>--save</c>, and only once the replay has completed (the report and chart the dashboard shows).
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "a pipeline file with data.timestamp" };
        var from = new Option<string?>("--from") { Description = "where the replay starts (default: the first timestamp plus what the first full run needs)" };
        var to = new Option<string?>("--to") { Description = "where it ends (default: the newest timestamp)" };
        var baselines = new Option<string[]>("--baseline") { Description = "static, or full:CRON (a full retrain on that schedule); repeatable (default: static)", AllowMultipleArgumentsPerToken = false };
        var period = new Option<string?>("--period") { Description = "day or week: what the per-period metric is by (default: day up to eight weeks, else week)" };
        period.AcceptOnlyFromAmong("day", "week");
        var output = new Option<string?>("--out") { Description = "a folder to write replay.json and replay.svg (the per-period chart) to" };
        var save = new Option<bool>("--save") { Description = "once the replay has completed, keep replay.json and replay.svg in the home (replays/PIPELINE/) for the dashboard" };
        var home = new Option<string?>("--home") { Description = "the home --save writes to (default: MLOPS_HOME, else ./.mlops); nothing else of it is opened" };
        var json = CommonOptions.Json();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("replay", "backtest a pipeline's retraining policy on its data's history, against baselines")
        {
            file, from, to, baselines, period, output, save, home, json, dataRoot,
        };
        command.SetAction(async (parse, ct) =>
        {
            var problems = new List<string>();
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                return await Fail(context, [$"'{path}' does not exist or is not a file"]);
            }

            var root = Path.GetFullPath(parse.GetValue(dataRoot) ?? Environment.GetEnvironmentVariable("MLOPS_DATA_ROOT") ?? Directory.GetCurrentDirectory());
            var (loaded, yaml) = context.Loader(root).ReadFile(path);
            if (loaded.Definition is not { } definition || yaml is null)
            {
                loaded.Errors.ToList().ForEach(e => context.Error.WriteLine(e.ToString()));
                return await Fail(context, [$"{loaded.Errors.Count} error(s) in {path}; 'mlops validate {path}' lists them too"]);
            }

            var chosen = new List<ReplayBaseline>();
            foreach (var text in parse.GetValue(baselines) is { Length: > 0 } given ? given : [ReplayBaseline.Static])
            {
                if (ReplayBaseline.Parse(text, context.Cron, out var problem) is { } baseline)
                {
                    chosen.Add(baseline);
                }
                else
                {
                    problems.Add(problem!);
                }
            }

            var spec = definition.Spec;
            var (deploy, deployProblem) = ReplayInput.Deploy(spec);
            var (metric, metricProblem) = ReplayInput.Metric(spec);
            var fromText = parse.GetValue(from);
            var toText = parse.GetValue(to);
            var fromAt = fromText is null ? null : CommandLineValues.Time(fromText, "--from", problems);
            var toAt = toText is null ? null : CommandLineValues.Time(toText, "--to", problems);
            problems.AddRange(new[] { deployProblem, metricProblem }.OfType<string>());
            if (spec.Data.Timestamp is null)
            {
                problems.Add("the pipeline has no data.timestamp: a replay needs to know when each row arrived");
            }

            if (problems.Count > 0)
            {
                return await Fail(context, problems);
            }

            var (table, tableProblem) = await ReplayTable.ReadAsync(new SourceReaders([new CsvSourceReader(), new PostgresSourceReader()]), spec.Data, ct);
            if (table is null)
            {
                return await Fail(context, [tableProblem!]);
            }

            var start = fromAt is { } f ? new DateTimeOffset(f) : ReplayInput.DefaultFrom(spec, table);
            var end = toAt is { } t ? new DateTimeOffset(t) : new DateTimeOffset(table.Newest);
            if (ReplayInput.RangeProblem(start, end, table) is { } rangeProblem)
            {
                return await Fail(context, [rangeProblem]);
            }

            var setup = new ReplaySetup
            {
                Definition = definition,
                Yaml = yaml,
                Table = table,
                From = start,
                To = end,
                Metric = metric!,
                HigherIsBetter = Metrics.HigherIsBetter(metric!),
                Period = parse.GetValue(period) switch { "day" => ReplayPeriod.Day, "week" => ReplayPeriod.Week, _ => ReplayPeriod.For(start, end) },
                Model = deploy!.Model,
                Alias = deploy.Alias,
                DataRoot = root,
                Scratch = Path.Combine(Path.GetTempPath(), $"mlops-replay-{Guid.NewGuid():N}"),
            };
            var (report, _, _) = await ReplayRunner.RunAsync(setup, chosen, context.Cron, context.Error, ct);
            var reportJson = System.Text.Json.JsonSerializer.Serialize(report, CliJson.Options);
            if (parse.GetValue(output) is { } folder)
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, "replay.json"), reportJson, ct);
                await File.WriteAllTextAsync(Path.Combine(folder, "replay.svg"), ReplaySvg.Render(report), ct);
                await context.Error.WriteLineAsync($"wrote {Path.Combine(folder, "replay.json")} and {Path.Combine(folder, "replay.svg")}");
            }

            if (parse.GetValue(save))
            {
                var saved = new SavedReplays(RuntimeSettings.Resolve(parse.GetValue(home), null, root).Home);
                await saved.SaveAsync(definition.Name, reportJson, ReplaySvg.Render(report), ct);
                await context.Error.WriteLineAsync($"saved the replay for the dashboard in {saved.FolderOf(definition.Name)}");
            }

            if (parse.GetValue(json))
            {
                CliJson.Write(context.Out, report);
            }
            else
            {
                ReplayText.Write(context.Out, report);
            }

            if (report.Policy.ScoredRows == 0)
            {
                await context.Error.WriteLineAsync("error: the policy never had a version in production, so no row was scored; see the failures above");
                return ExitCodes.WorkFailed;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> Fail(CliContext context, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            await context.Error.WriteLineAsync($"error: {problem}");
        }

        return ExitCodes.BadInput;
    }
}
