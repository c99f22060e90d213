using System.CommandLine;
using System.Globalization;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops features</c> (the views, their features, who uses them, how fresh they are), <c>mlops features get VIEW
/// --entity K [--at T]</c> (one entity's values as of a time, from the offline data) and <c>mlops features export
/// PIPELINE.yaml --out FILE.csv [--at T]</c> (the exact point-in-time training set a run would prepare from).
/// </summary>
internal static class FeatureCommands
{
    public static Command Create(CliContext context)
    {
        var folder = CommonOptions.Features();
        var pipelines = new Option<string?>("--pipelines") { Description = "the pipelines that may use the views (default: a pipelines folder beside the features folder)" };
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("features", "list feature views: their features, owners, the pipelines that use them and their freshness") { folder, pipelines, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var dir = Path.GetFullPath(parse.GetValue(folder) ?? "features");
            var set = Views(context, runtime, dir);
            if (set is null)
            {
                return ExitCodes.BadInput;
            }

            var users = Users(context, runtime, dir, parse.GetValue(pipelines));
            var store = new FeatureStore(runtime.Storage.Artifacts, runtime.Sources);
            var listed = new List<FeatureListing>();
            foreach (var view in set.Views)
            {
                listed.Add(FeatureListing.Of(view, users, await store.MaterializationsAsync(view, ct)));
            }

            if (parse.GetValue(json))
            {
                CliJson.Write(context.Out, listed);
            }
            else
            {
                listed.ForEach(l => FeatureListing.Write(context.Out, l));
                if (listed.Count == 0)
                {
                    context.Error.WriteLine($"no feature views in {dir}");
                }
            }

            return set.Results.Any(r => !r.Succeeded) ? ExitCodes.BadInput : ExitCodes.Success;
        });
        command.Subcommands.Add(Get(context));
        command.Subcommands.Add(Export(context));
        command.Subcommands.Add(FeatureMaterializeCommand.Create(context));
        command.Subcommands.Add(FeatureSkewCommand.Create(context));
        return command;
    }

    private static Command Get(CliContext context)
    {
        var view = new Argument<string>("VIEW") { Description = "the feature view's name" };
        var entity = new Option<string[]>("--entity") { Description = "the entity's key (once per key column, in the view's order)", Required = true, Arity = ArgumentArity.OneOrMore };
        var at = new Option<string?>("--at") { Description = "the time the values are as of (UTC, ISO 8601), computed from the offline data; without it: now, from the online store" };
        var folder = CommonOptions.Features();
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("get", "one entity's feature values now, from the online store, or as of a time (--at), from the offline data") { view, entity, at, folder, json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var problems = new List<string>();
            var offline = parse.GetValue(at) is { } text ? CommandLineValues.Time(text, "--at", problems) : null;
            var set = Views(context, runtime, Path.GetFullPath(parse.GetValue(folder) ?? "features"));
            if (set is null || problems.Count > 0)
            {
                problems.ForEach(p => context.Error.WriteLine($"error: {p}"));
                return ExitCodes.BadInput;
            }

            var name = parse.GetValue(view)!;
            if (set.Find(name) is not { } spec)
            {
                await context.Error.WriteLineAsync($"error: unknown feature view '{name}'{Suggest(set)}");
                return ExitCodes.BadInput;
            }

            FeatureValues? values;
            string? problem;
            if (offline is { } time)
            {
                var store = new FeatureStore(runtime.Storage.Artifacts, runtime.Sources);
                (values, problem) = await store.GetAsync(spec, parse.GetValue(entity)!, new DateTimeOffset(time, TimeSpan.Zero), m => context.Error.WriteLine(m), ct);
            }
            else
            {
                (values, problem) = await OnlineFeatureGet.GetAsync(new OnlineFeatureReader(runtime.Storage.OnlineFeatures), spec, parse.GetValue(entity)!, context.Time.GetUtcNow(), ct);
            }

            if (values is null)
            {
                await context.Error.WriteLineAsync($"error: {problem}");
                return ExitCodes.WorkFailed;
            }

            await context.Error.WriteLineAsync(offline is null
                ? OnlineFeatureGet.Note(values)
                : string.Create(CultureInfo.InvariantCulture, $"{values.View}: {(values.Reused ? "reused" : "materialized")} {values.Materialization[..12]} ({values.Events:N0} events)"));
            if (parse.GetValue(json))
            {
                CliJson.Write(context.Out, values);
            }
            else
            {
                await context.Out.WriteLineAsync($"{values.View}  {string.Join(", ", spec.Entity)} = {values.Entity}  as of {values.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");
                var width = values.Values.Keys.Max(k => k.Length);
                foreach (var (feature, value) in values.Values)
                {
                    await context.Out.WriteLineAsync($"  {feature.PadRight(width)}  {(value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "(missing)")}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var pipeline = new Argument<string>("PIPELINE") { Description = "a pipeline file with data.features" };
        var output = new Option<string>("--out") { Description = "the CSV file to write (replaced atomically)", Required = true };
        var at = new Option<string?>("--at") { Description = "only the rows at or before this time (UTC, ISO 8601): the training set a run then had" };
        var folder = CommonOptions.Features();
        var storage = new StateLocationOptions();
        var command = new Command("export", "write the exact point-in-time training set a run of the pipeline would prepare from") { pipeline, output, at, folder };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            var problems = new List<string>();
            var time = parse.GetValue(at) is { } text ? CommandLineValues.Time(text, "--at", problems) : null;
            if (problems.Count > 0)
            {
                problems.ForEach(p => context.Error.WriteLine($"error: {p}"));
                return ExitCodes.BadInput;
            }

            var options = runtime.LoaderOptions with { FeaturesFolder = parse.GetValue(folder) is { } f ? Path.GetFullPath(f) : null };
            var loaded = new PipelineLoader(options, MlNetTrainerCatalog.Default, context.Cron).LoadFile(parse.GetValue(pipeline)!);
            if (loaded.Definition is null)
            {
                loaded.Errors.ToList().ForEach(e => context.Out.WriteLine(e.ToString()));
                return ExitCodes.BadInput;
            }

            var store = new FeatureStore(runtime.Storage.Artifacts, runtime.Sources);
            var file = parse.GetValue(output)!;
            var (export, problem) = await store.ExportAsync(loaded.Definition.Spec.Data, file, time is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null, m => context.Error.WriteLine(m), ct);
            if (export is null)
            {
                await context.Error.WriteLineAsync($"error: {problem}");
                return ExitCodes.BadInput;
            }

            foreach (var note in export.Notes)
            {
                await context.Error.WriteLineAsync(note);
            }

            await context.Error.WriteLineAsync($"wrote the training set of {loaded.Definition.Name} to {file}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The views of <paramref name="folder"/>; their errors go to stdout, compiler style. Null when the folder does not exist.</summary>
    internal static FeatureViewSet? Views(CliContext context, Runtime.MlOpsRuntime runtime, string folder)
    {
        if (!Directory.Exists(folder))
        {
            context.Error.WriteLine($"error: no features folder '{folder}'; give one with --features DIR");
            return null;
        }

        var set = new FeatureViewLoader(runtime.LoaderOptions, context.Cron).LoadFolder(folder);
        foreach (var error in set.Results.SelectMany(r => r.Errors))
        {
            context.Out.WriteLine(error.ToString());
        }

        return set;
    }

    /// <summary>Pipeline name → the features it uses, of the pipelines that load.</summary>
    private static List<(string Pipeline, FeatureRef Feature)> Users(CliContext context, Runtime.MlOpsRuntime runtime, string features, string? pipelines)
    {
        var dir = pipelines ?? Path.Combine(Path.GetDirectoryName(features) ?? ".", "pipelines");
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var loader = new PipelineLoader(runtime.LoaderOptions with { FeaturesFolder = features }, MlNetTrainerCatalog.Default, context.Cron);
        return [.. loader.LoadAll(PipelineFiles.Expand([dir]).Where(f => !FeatureViewFiles.IsView(f)))
            .Where(r => r.Definition is not null)
            .SelectMany(r => r.Definition!.Spec.Data.Features.Select(f => (r.Definition.Name, f)))];
    }

    internal static string Suggest(FeatureViewSet set) =>
        set.Views.Count == 0 ? "" : $"; views: {string.Join(", ", set.Views.Select(v => v.Name))}";
}
