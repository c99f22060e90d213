using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Tests.Support;

/// <summary>Records as the executor would write them, with unique names so tests sharing a database never meet.</summary>
internal static class Sample
{
    /// <summary>A fixed UTC time with whole microseconds, the precision both engines keep.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 14, 9, 26, 53, 589, 793, TimeSpan.Zero);

    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static RunRecord Run(string pipeline, DateTimeOffset? createdAt = null, string? key = null) => new()
    {
        RunId = Name("run"),
        Pipeline = pipeline,
        PipelineVersion = "sha256:4f1c",
        PipelineFile = "/srv/pipelines/taxi-fare.yaml",
        PipelineYaml = "name: taxi-fare\nsteps:\n  - id: prep\n    kind: data_prep\n",
        Trigger = "nightly",
        Mode = RunMode.Full,
        Level = 2,
        LevelReasons = ["level 3 needs an automated deploy step"],
        Parameters = new Dictionary<string, string> { ["rows"] = "1000" },
        CreatedAt = createdAt ?? T0,
        IdempotencyKey = key,
    };

    public static StepRecord Step(RunRecord run, string stepId, string kind = "train") => new()
    {
        RunId = run.RunId,
        StepId = stepId,
        Kind = kind,
    };

    public static IReadOnlyList<StepRecord> Steps(RunRecord run, params string[] stepIds) =>
        [.. stepIds.Select(id => Step(run, id))];

    public static ModelVersion Model(string name, string runId, string stepId = "deploy") => new()
    {
        Name = name,
        Version = 0,
        RunId = runId,
        StepId = stepId,
        PipelineVersion = "sha256:4f1c",
        DataHash = "sha256:9d2e",
        Metrics = new Dictionary<string, double> { ["r_squared"] = 0.9132847561234567, ["rmse"] = 2.75 },
        ArtifactPath = $"runs/{runId}/{stepId}/model.zip",
        Properties = new Dictionary<string, string> { ["task"] = "regression", ["trainer"] = "fast_tree" },
        CreatedAt = T0,
    };
}
