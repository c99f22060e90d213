using System.Globalization;
using System.Text.Json;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The production version a <c>monitor</c> step watches, with what it was trained on: the training data profile (the
/// drift reference), the model's dataset schema and its task (for performance), both optional. A version that was
/// warm-started is judged against its <see cref="Reference"/>: the version trained from scratch it continues, whose
/// training data its featurization was fitted on and whose recorded metrics stand for what the model should reach.
/// </summary>
internal sealed record MonitoredModel(ModelVersion Version, DataProfile Profile, DatasetSchema? Schema, MlTask? Task, ModelVersion Reference)
{
    public const string Alias = EvaluateExecutor.ProductionAlias;

    public string Label => $"{Version.Name} v{Version.Version}";

    /// <summary><c>bikes v5</c>, or <c>bikes v2 (continued by bikes v5)</c> when the reference is another version.</summary>
    public string ReferenceLabel => Reference.Version == Version.Version ? Label : $"{Reference.Name} v{Reference.Version} (continued by {Label})";

    /// <summary>The production version and its profile; null when no version is in production yet.</summary>
    /// <exception cref="StepInputException">The version has no readable training profile.</exception>
    public static async Task<MonitoredModel?> FindAsync(IModelRegistry registry, IArtifactStore artifacts, string name, CancellationToken ct)
    {
        var aliases = await registry.GetAliasesAsync(name, ct);
        if (!aliases.TryGetValue(Alias, out var number) || await registry.GetAsync(name, number, ct) is not { } version)
        {
            return null;
        }

        return await OfAsync(registry, artifacts, version, ct);
    }

    /// <summary><paramref name="version"/> with its profile, whether or not it is in production.</summary>
    /// <exception cref="StepInputException">The version has no readable training profile.</exception>
    public static async Task<MonitoredModel> OfAsync(IModelRegistry registry, IArtifactStore artifacts, ModelVersion version, CancellationToken ct)
    {
        var name = version.Name;
        var label = $"{version.Name} v{version.Version}";
        if (!version.Properties.TryGetValue(ModelProperties.Profile, out var profilePath) || string.IsNullOrEmpty(profilePath))
        {
            throw new StepInputException($"production model {label} records no training data profile (it was deployed without a data_prep step upstream), so there is nothing to compare the window with");
        }

        var profile = Read(artifacts, profilePath, $"the training profile of {label}", DataProfileJson.Deserialize);
        var schema = version.Properties.TryGetValue(ModelProperties.Schema, out var schemaPath) && artifacts.Exists(schemaPath)
            ? Read(artifacts, schemaPath, $"the schema of {label}", DatasetSchemaJson.Deserialize)
            : null;
        MlTask? task = TaskNames.TryParse(version.Properties.GetValueOrDefault(ModelProperties.Task), out var parsed) ? parsed : null;
        var reference = int.TryParse(version.Properties.GetValueOrDefault(ModelProperties.ReferenceVersion), NumberStyles.None, CultureInfo.InvariantCulture, out var root)
            && await registry.GetAsync(name, root, ct) is { } origin
            ? origin
            : version;
        return new MonitoredModel(version, profile, schema, task, reference);
    }

    /// <summary>
    /// The registry name the pipeline deploys to: the <c>model</c> of the nearest deploy step upstream, else of the
    /// pipeline's first deploy step, else the pipeline's name (the deploy step's default).
    /// </summary>
    public static string RegistryName(StepContext context)
    {
        var spec = context.Definition.Spec;
        var queue = new Queue<string>(context.Step.Needs);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var id))
        {
            if (!seen.Add(id) || spec.Step(id) is not { } step)
            {
                continue;
            }

            if (step is DeployStep deploy)
            {
                return deploy.Model;
            }

            foreach (var need in step.Needs)
            {
                queue.Enqueue(need);
            }
        }

        return spec.Steps.OfType<DeployStep>().FirstOrDefault()?.Model ?? context.Definition.Name;
    }

    private static T Read<T>(IArtifactStore artifacts, string path, string what, Func<string, T> parse)
    {
        if (!artifacts.Exists(path))
        {
            throw new StepInputException($"{what} is missing from the artifact store: {path}");
        }

        try
        {
            return parse(File.ReadAllText(artifacts.PathOf(path)));
        }
        catch (JsonException ex)
        {
            throw new StepInputException($"{what} ({path}) is not valid: {ex.Message}", ex);
        }
    }
}
