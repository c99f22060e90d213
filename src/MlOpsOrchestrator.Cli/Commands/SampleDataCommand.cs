using System.CommandLine;
using System.Globalization;
using MlOpsOrchestrator.ML.SampleData;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops sample-data NAME --out FILE</c>: writes the deterministic data the samples and demos use.</summary>
internal static class SampleDataCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = $"one of: {string.Join(", ", SampleGenerators.All.Select(g => g.Name))}" };
        var output = new Option<string>("--out") { Description = "the CSV file to write (replaced atomically)", Required = true };
        var rows = new Option<int>("--rows") { Description = "number of rows", DefaultValueFactory = _ => 5000 };
        var seed = new Option<int>("--seed") { Description = "random seed; the same settings always give the same file", DefaultValueFactory = _ => 7 };
        var start = new Option<string>("--start") { Description = "time of the first row (UTC, ISO 8601)", DefaultValueFactory = _ => "2025-01-01T00:00:00Z" };
        var step = new Option<string>("--step") { Description = "time between rows, e.g. 1h, 5m", DefaultValueFactory = _ => "1h" };
        var driftAt = new Option<string?>("--drift-at") { Description = "from this time (UTC, ISO 8601) the data drifts" };
        var command = new Command("sample-data", "generate realistic sample data (seasonality, noise, categorical and text columns, missing values, drift)")
        {
            name, output, rows, seed, start, step, driftAt,
        };
        command.SetAction(async (parse, ct) =>
        {
            var generator = SampleGenerators.Find(parse.GetValue(name)!);
            if (generator is null)
            {
                await context.Error.WriteLineAsync($"error: unknown sample '{parse.GetValue(name)}'; valid: {string.Join(", ", SampleGenerators.All.Select(g => g.Name))}");
                return ExitCodes.BadInput;
            }

            var problems = new List<string>();
            var settings = new SampleSettings
            {
                Rows = parse.GetValue(rows) is > 0 and var n ? n : CommandLineValues.Fail(problems, 0, "--rows must be a positive number"),
                Seed = parse.GetValue(seed),
                Start = CommandLineValues.Time(parse.GetValue(start)!, "--start", problems) ?? default,
                Step = CommandLineValues.Duration(parse.GetValue(step)!, "--step", problems, TimeSpan.Zero),
                DriftAt = parse.GetValue(driftAt) is { } drift ? CommandLineValues.Time(drift, "--drift-at", problems) : null,
            };
            if (problems.Count > 0)
            {
                problems.ForEach(p => context.Error.WriteLine($"error: {p}"));
                return ExitCodes.BadInput;
            }

            var path = parse.GetValue(output)!;
            await SampleGenerators.WriteAsync(generator, settings, path, ct);
            await context.Error.WriteLineAsync($"wrote {settings.Rows} rows of {generator.Name} to {path}");
            return ExitCodes.Success;
        });
        return command;
    }


}
