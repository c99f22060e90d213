using System.CommandLine;
using MlOpsOrchestrator.Loading;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops validate PATH...</c>: every problem of every file, compiler style; exit 2 if any. Feature view files
/// (<c>kind: feature_view</c>) among them, and those of <c>--features DIR</c>, are checked as views.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.OneOrMore, Description = "pipeline files or folders of *.yaml" };
        var json = CommonOptions.Json();
        var dataRoot = CommonOptions.DataRoot();
        var features = CommonOptions.Features();
        var command = new Command("validate", "check pipeline files against every rule of the format") { paths, json, dataRoot, features };
        command.SetAction(parse => Run(context, parse.GetValue(paths)!, parse.GetValue(json), parse.GetValue(dataRoot), parse.GetValue(features)));
        return command;
    }

    private static int Run(CliContext context, string[] paths, bool json, string? dataRoot, string? features)
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

        var files = PipelineFiles.Expand(paths.Except(missing)).ToList();
        var viewFiles = files.Where(FeatureViewFiles.IsView).ToList();
        if (features is not null && Directory.Exists(features))
        {
            viewFiles = [.. viewFiles.Union(PipelineFiles.Expand([features]), StringComparer.Ordinal)];
        }

        var views = new FeatureViewLoader(CliContext.LoaderOptions(dataRoot, features), context.Cron);
        var viewResults = viewFiles.Select(f => views.LoadFile(f)).ToList();
        var results = context.Loader(dataRoot, features).LoadAll(files.Where(f => !viewFiles.Contains(f)));
        var errors = viewResults.SelectMany(r => r.Errors).Concat(results.SelectMany(r => r.Errors)).ToList();
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

        if (results.Count == 0 && viewResults.Count == 0 && missing.Count == 0)
        {
            context.Error.WriteLine("error: no pipeline files (*.yaml, *.yml) found in the given paths");
            return ExitCodes.BadInput;
        }

        var failed = results.Count(r => !r.Succeeded) + viewResults.Count(r => !r.Succeeded);
        var total = results.Count + viewResults.Count;
        var viewsText = viewResults.Count > 0 ? $" and {viewResults.Count} feature view file(s)" : "";
        context.Error.WriteLine(errors.Count == 0 && missing.Count == 0
            ? $"{results.Count} pipeline file(s){viewsText} valid"
            : $"{errors.Count} error(s) in {failed} of {total} file(s){(missing.Count > 0 ? $"; {missing.Count} path(s) not found" : "")}");
        return errors.Count == 0 && missing.Count == 0 ? ExitCodes.Success : ExitCodes.BadInput;
    }
}
