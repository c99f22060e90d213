using System.CommandLine;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary><c>mlops validate PATH...</c>: every problem of every file, compiler style; exit 2 if any.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.OneOrMore, Description = "pipeline files or folders of *.yaml" };
        var json = CommonOptions.Json();
        var dataRoot = CommonOptions.DataRoot();
        var command = new Command("validate", "check pipeline files against every rule of the format") { paths, json, dataRoot };
        command.SetAction(parse => Run(context, parse.GetValue(paths)!, parse.GetValue(json), parse.GetValue(dataRoot)));
        return command;
    }

    private static int Run(CliContext context, string[] paths, bool json, string? dataRoot)
    {
        if (paths.FirstOrDefault(p => p.StartsWith('-')) is { } option)
        {
            context.Error.WriteLine($"error: unknown option '{option}'; run 'mlops validate --help' for the options");
            return ExitCodes.BadInput;
        }

        var missing = paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        foreach (var path in missing)
        {
            context.Error.WriteLine($"error: '{path}' does not exist");
        }

        var results = context.Loader(dataRoot).LoadAll(paths.Except(missing));
        var errors = results.SelectMany(r => r.Errors).ToList();
        if (json)
        {
            CliJson.Write(context.Out, errors.Select(e => new { e.File, e.Line, e.Column, e.Path, e.Message }));
        }
        else
        {
            foreach (var error in errors)
            {
                context.Out.WriteLine(error.ToString());
            }
        }

        if (results.Count == 0 && missing.Count == 0)
        {
            context.Error.WriteLine("error: no pipeline files (*.yaml, *.yml) found in the given paths");
            return ExitCodes.BadInput;
        }

        var failed = results.Count(r => !r.Succeeded);
        context.Error.WriteLine(errors.Count == 0 && missing.Count == 0
            ? $"{results.Count} pipeline file(s) valid"
            : $"{errors.Count} error(s) in {failed} of {results.Count} file(s){(missing.Count > 0 ? $"; {missing.Count} path(s) not found" : "")}");
        return errors.Count == 0 && missing.Count == 0 ? ExitCodes.Success : ExitCodes.BadInput;
    }
}
