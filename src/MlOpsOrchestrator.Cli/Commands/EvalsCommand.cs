using System.CommandLine;
using System.Globalization;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Evaluations;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops evals MODEL [--version V] [--slice COL] [--json]</c>: what the evaluation store holds for a model.</summary>
internal static class EvalsCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "a model name (as deploy registers it)" };
        var version = new Option<int?>("--version") { Description = "only the evaluations of this version" };
        var slice = new Option<string?>("--slice") { Description = "only the slices of this column ('*' for the whole evaluation set)" };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("evals", "every evaluation of a model: version, slice, metric, value, rows, run") { model, version, slice, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var (name, v, s) = (parse.GetValue(model)!, parse.GetValue(version), parse.GetValue(slice));
            IReadOnlyList<Stores.ModelEvaluation> rows;
            try
            {
                rows = await runtime.Evaluations.ListAsync(name, v, s, ct);
            }
            catch (EvaluationQueryException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }

            var view = EvaluationsView.From(name, v, s, rows);
            if (parse.GetValue(json))
            {
                CliJson.Write(context.Out, view);
            }
            else
            {
                Write(context.Out, view);
                if (rows.Count == 0)
                {
                    await context.Error.WriteLineAsync($"no evaluations of {name}{(v is null ? "" : $" v{v}")}{(s is null ? "" : $" on slices of '{s}'")}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(TextWriter output, EvaluationsView view)
    {
        if (view.Evaluations.Count == 0)
        {
            return;
        }

        string[] header = ["VERSION", "ROLE", "RUN", "STEP", "SLICE", "METRIC", "VALUE", "ROWS", "AT"];
        var lines = view.Evaluations.Select(e => new[]
        {
            e.Version is { } v ? $"v{v}" : "-",
            e.Role,
            e.RunId,
            e.StepId,
            e.SliceColumn == Stores.ModelEvaluation.Overall ? "(all)" : e.Slice,
            e.Metric,
            e.Value is { } value ? value.ToString("0.####", CultureInfo.InvariantCulture) : "n/a",
            e.Rows.ToString(CultureInfo.InvariantCulture),
            e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Max(l => l[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var line in lines)
        {
            output.WriteLine(string.Join("  ", line.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }
}
