namespace MlOpsOrchestrator.Catalogs;

/// <summary>A trainer the product can run, as the validator needs to know it (no ML.NET types here).</summary>
/// <param name="Name">The YAML name, e.g. <c>fast_tree</c>.</param>
/// <param name="Task">The task it belongs to; the same name may exist for several tasks (<c>light_gbm</c>).</param>
/// <param name="Options">Accepted options, keyed by snake_case name.</param>
/// <param name="SupportsWarmStart">True when ML.NET can continue training from existing linear model parameters.</param>
public sealed record TrainerDescriptor(
    string Name,
    MlTask Task,
    IReadOnlyDictionary<string, TrainerOption> Options,
    bool SupportsWarmStart);
