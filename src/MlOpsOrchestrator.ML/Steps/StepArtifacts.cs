using Microsoft.ML;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>Finding and reading what upstream steps recorded, with messages that name the step and artifact.</summary>
internal static class StepArtifacts
{
    /// <summary>The absolute path of one of <paramref name="step"/>'s artifacts; fails naming both when it is missing.</summary>
    public static string PathOf(IArtifactStore artifacts, StepRecord step, string artifact)
    {
        if (!step.Artifacts.TryGetValue(artifact, out var relative) || string.IsNullOrEmpty(relative))
        {
            throw new StepInputException($"step '{step.StepId}' recorded no '{artifact}' artifact");
        }

        if (!artifacts.Exists(relative))
        {
            throw new StepInputException($"the '{artifact}' artifact of step '{step.StepId}' is missing from the artifact store: {relative}");
        }

        return artifacts.PathOf(relative);
    }

    /// <summary>A <c>schema.json</c> (prepared data's or a model's), read with the data_prep step's JSON conventions.</summary>
    public static DatasetSchema ReadSchema(string path)
    {
        try
        {
            return DatasetSchemaJson.Deserialize(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new StepInputException($"the dataset schema {path} is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Releases the files behind views loaded from <c>.idv</c> files (binary loaders keep them open).</summary>
    public static void Close(PreparedData data)
    {
        (data.Train as IDisposable)?.Dispose();
        (data.Test as IDisposable)?.Dispose();
    }

    /// <summary>True when the data_prep step found no new rows.</summary>
    public static bool IsEmpty(StepRecord prep) => PreparedData.IsEmpty(prep);

    public static PreparedData LoadPrepared(MLContext ml, IArtifactStore artifacts, StepRecord prep)
    {
        // Checked here first so a missing file is reported by name rather than as ML.NET's own error.
        foreach (var name in new[] { ArtifactNames.Train, ArtifactNames.Test, ArtifactNames.Schema })
        {
            PathOf(artifacts, prep, name);
        }

        return PreparedData.Load(ml, artifacts, prep);
    }
}
