using System.CommandLine;
using System.Globalization;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops feedback MODEL --file labels.csv</c>, <c>mlops online MODEL [--window 24h]</c> and
/// <c>mlops withdraw MODEL --alias canary</c>: the same services as the API's feedback, online and withdraw.
/// </summary>
internal static class FeedbackCommands
{
    public static Command Feedback(CliContext context)
    {
        var name = new Argument<string>("MODEL") { Description = "a registered model" };
        var file = new Option<FileInfo>("--file") { Description = "CSV with header 'prediction_id,label' or 'key,timestamp,label'", Required = true };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("feedback", "store labels for earlier predictions (they judge the versions that answered)") { name, file, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var path = parse.GetValue(file)!.FullName;
            if (!File.Exists(path))
            {
                await context.Error.WriteLineAsync($"error: --file: no file '{path}'");
                return ExitCodes.BadInput;
            }

            var (labels, problems) = LabelsFile.Read(path);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await context.Error.WriteLineAsync($"error: {problem}");
                }

                await context.Error.WriteLineAsync($"nothing stored: {problems.Count} problem(s)");
                return ExitCodes.BadInput;
            }

            FeedbackReceipt receipt;
            try
            {
                receipt = await IFeedbackService.Create(runtime.Storage.Feedback, runtime.Storage.Registry, runtime.Time)
                    .SubmitAsync(parse.GetValue(name)!, labels, CliUser.Name, ct);
            }
            catch (ModelControlException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(json))
            {
                CliJson.Write(context.Out, FeedbackView.Of(receipt, []));
                return ExitCodes.Success;
            }

            foreach (var result in receipt.Results.Where(r => r.Reason is not null))
            {
                // The data line of label i is i + 2 when the file has no blank lines; the reason names the prediction.
                await context.Error.WriteLineAsync($"{FeedbackView.Status(result.Status)}: label {result.Index + 1}: {result.Reason}");
            }

            await context.Out.WriteLineAsync(
                $"{receipt.Model}: {receipt.Accepted} accepted, {receipt.Duplicates} duplicate(s) refused, {receipt.Unknown} unknown (kept until their prediction is logged)");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Online(CliContext context)
    {
        var name = new Argument<string>("MODEL") { Description = "a registered model" };
        var window = new Option<string>("--window")
        {
            Description = $"the window: {string.Join(", ", IOnlineMetrics.Windows.Keys)}",
            DefaultValueFactory = _ => IOnlineMetrics.DefaultWindow,
        };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("online", "online metrics per alias and version from the labels fed back, with traffic and latency") { name, window, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var model = parse.GetValue(name)!;
            if (!IOnlineMetrics.Windows.TryGetValue(parse.GetValue(window)!, out var span))
            {
                await context.Error.WriteLineAsync($"error: --window must be one of {string.Join(", ", IOnlineMetrics.Windows.Keys)}");
                return ExitCodes.BadInput;
            }

            if (await runtime.Models.GetAsync(model, ct) is null)
            {
                await context.Error.WriteLineAsync($"error: no model named '{model}'; 'mlops models' lists them");
                return ExitCodes.BadInput;
            }

            var report = await IOnlineMetrics.Create(runtime.Storage.Feedback, runtime.Time).ComputeAsync(model, runtime.Time.GetUtcNow() - span, ct);
            if (parse.GetValue(json))
            {
                CliJson.Write(context.Out, report);
                return ExitCodes.Success;
            }

            await context.Out.WriteLineAsync($"model {model}  last {parse.GetValue(window)}: {report.Requests} requests, {report.WaitingLabels} label(s) waiting for their prediction");
            foreach (var v in report.Versions)
            {
                var metrics = v.Metrics.Count == 0 ? "no labels" : string.Join(" ", v.Metrics.Select(m => $"{m.Key}={Number(m.Value)}"));
                await context.Out.WriteLineAsync(
                    $"  {v.Alias,-12} v{v.Version,-3} {(v.Shadow ? "shadow " : "")}share {Number(v.TrafficShare * 100)}%  requests {v.Requests}  labelled {v.Labelled}  {metrics}  p50 {Ms(v.LatencyP50)}  p99 {Ms(v.LatencyP99)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Withdraw(CliContext context)
    {
        var name = new Argument<string>("MODEL");
        var alias = new Option<string>("--alias") { Description = "the challenger alias to remove (canary, shadow; never production)", Required = true };
        var by = DecisionCommands.ByOption();
        var reason = new Option<string?>("--reason") { Description = "why, recorded in the alias history" };
        var storage = new StateLocationOptions();
        var command = new Command("withdraw", "remove a challenger alias: requests stop going to it") { name, alias, by, reason };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var (n, a) = (parse.GetValue(name)!, parse.GetValue(alias)!);
            try
            {
                var change = await runtime.Models.WithdrawAsync(n, a, AccessPolicy.Actor(CliUser.Name, parse.GetValue(by)), parse.GetValue(reason), ct);
                await context.Out.WriteLineAsync($"{n} {a}: version {change.Version} withdrawn");
                return ExitCodes.Success;
            }
            catch (ModelControlException ex)
            {
                await context.Error.WriteLineAsync($"error: {(ex.Field is { } field ? $"--{field}: " : "")}{ex.Message}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } v ? $"{Number(v)} ms" : "-";
}
