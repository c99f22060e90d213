using System.CommandLine;
using System.Globalization;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops features skew MODEL [--version N] [--since T] [--json]</c>: the monitor step's training/serving skew check
/// of a model version's feature view features over the prediction log, on demand. Exit 0 without skew, 1 when some
/// feature is skewed (as a failed gate), 2 for bad input or a model trained on no view features.
/// </summary>
internal static class FeatureSkewCommand
{
    private static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(24);

    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "the registered model" };
        var version = new Option<int?>("--version") { Description = "the version to check (default: the production version)" };
        var since = new Option<string?>("--since") { Description = "the requests logged since this time (UTC, ISO 8601) or for this long (24h, 7d; default: 24h)" };
        var method = new Option<string?>("--method") { Description = "the distance: psi (default) or ks, as a monitor step's drift.method" };
        var threshold = new Option<double?>("--threshold") { Description = $"the distance above which a feature is skewed (default {SkewCheck.Default.Threshold.ToString(CultureInfo.InvariantCulture)})" };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("skew", "compare the feature values a model was served with the training distribution of the same features") { model, version, since, method, threshold, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var problems = new List<string>();
            var now = context.Time.GetUtcNow();
            var from = parse.GetValue(since) is { } text ? Since(text, now, problems) : now - DefaultSpan;
            var distance = parse.GetValue(method) is { } m ? Method(m, problems) : DriftMethod.Psi;
            var rule = SkewCheck.Default;
            if (parse.GetValue(threshold) is { } t)
            {
                if (t < 0 || !double.IsFinite(t))
                {
                    problems.Add("--threshold must be a number of 0 or more");
                }

                rule = rule with { Threshold = t };
            }

            if (parse.GetValue(version) is < 1)
            {
                problems.Add("--version must be 1 or more");
            }

            if (problems.Count > 0)
            {
                problems.ForEach(p => context.Error.WriteLine($"error: {p}"));
                return ExitCodes.BadInput;
            }

            var (report, problem) = await FeatureSkewCheck.RunAsync(
                runtime.Storage.Registry, runtime.Storage.Artifacts, runtime.Storage.Predictions, parse.GetValue(model)!, parse.GetValue(version), from, distance, rule, ct);
            if (report is null)
            {
                await context.Error.WriteLineAsync($"error: {problem}");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(json))
            {
                CliJson.Write(context.Out, report);
            }
            else
            {
                SkewTable.Write(context.Out, report);
            }

            return report.Skewed.Count > 0 ? ExitCodes.WorkFailed : ExitCodes.Success;
        });
        return command;
    }

    private static DateTimeOffset Since(string text, DateTimeOffset now, List<string> problems)
    {
        if (DurationText.Parse(text) is { } span)
        {
            return now - span;
        }

        return CommandLineValues.Time(text, "--since", problems) is { } time ? new DateTimeOffset(time, TimeSpan.Zero) : now;
    }

    private static DriftMethod Method(string text, List<string> problems)
    {
        switch (text)
        {
            case "psi":
                return DriftMethod.Psi;
            case "ks":
                return DriftMethod.Ks;
            default:
                problems.Add($"--method '{text}' is not a distance; use psi or ks");
                return DriftMethod.Psi;
        }
    }
}
