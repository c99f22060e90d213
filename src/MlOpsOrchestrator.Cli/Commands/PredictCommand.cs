using System.CommandLine;
using System.Text.Json;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops predict NAME (--input JSON | --input-file F)</c>: scores with the version under <c>production</c>.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "a registered model" };
        var input = new Option<string?>("--input") { Description = "one JSON object, or an array of objects" };
        var inputFile = new Option<string?>("--input-file") { Description = "a file holding the JSON input" };
        var alias = new Option<string>("--alias") { Description = "score with the version under this alias", DefaultValueFactory = _ => "production" };
        var storage = new StateLocationOptions();
        var command = new Command("predict", "score rows with the production version of a model") { name, input, inputFile, alias, CommonOptions.Json() };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var (text, problem) = ReadInput(parse.GetValue(input), parse.GetValue(inputFile));
            if (problem is not null)
            {
                await context.Error.WriteLineAsync($"error: {problem}");
                return ExitCodes.BadInput;
            }

            var model = parse.GetValue(name)!;
            var aliasName = parse.GetValue(alias)!;
            var aliases = await runtime.Storage.Registry.GetAliasesAsync(model, ct);
            if (!aliases.TryGetValue(aliasName, out var version) || await runtime.Storage.Registry.GetAsync(model, version, ct) is not { } registered)
            {
                var names = await runtime.Storage.Registry.ListNamesAsync(ct);
                await context.Error.WriteLineAsync(names.Contains(model)
                    ? $"error: model '{model}' has no '{aliasName}' alias yet; 'mlops promote {model} VERSION --alias {aliasName}' sets it"
                    : $"error: no model named '{Echo.Value(model)}'{(names.Count > 0 ? $"; models: {Echo.List(names)}" : "; a pipeline's deploy step registers one")}");
                return ExitCodes.BadInput;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text!);
            }
            catch (JsonException ex)
            {
                await context.Error.WriteLineAsync($"error: the input is not valid JSON: {ex.Message}");
                return ExitCodes.BadInput;
            }

            using (document)
            {
                try
                {
                    var scorer = ModelScorer.Load(runtime.Storage.Artifacts, registered);
                    var output = scorer.ScoreToJson(document.RootElement);
                    await context.Out.WriteLineAsync(output.ToJsonString(CliJson.Options));
                    await context.Error.WriteLineAsync($"scored with {model} version {version} ({aliasName})");
                    return ExitCodes.Success;
                }
                catch (ScoringInputException ex)
                {
                    await context.Error.WriteLineAsync($"error: {ex.Message}");
                    return ExitCodes.BadInput;
                }
            }
        });
        return command;
    }

    private static (string? Text, string? Problem) ReadInput(string? input, string? file)
    {
        if ((input is null) == (file is null))
        {
            return (null, "give exactly one of --input JSON or --input-file FILE");
        }

        if (file is not null)
        {
            return File.Exists(file) ? (File.ReadAllText(file), null) : (null, $"input file '{file}' does not exist");
        }

        return (input, null);
    }
}
