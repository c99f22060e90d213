using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Trainers;

/// <summary>How one YAML trainer name maps onto ML.NET.</summary>
/// <param name="Task">The task the name is valid for.</param>
/// <param name="Name">The YAML name, e.g. <c>fast_tree</c>.</param>
/// <param name="TrainerType">The ML.NET trainer (estimator) class.</param>
/// <param name="OptionsType">The options class whose members become the YAML <c>options:</c>.</param>
/// <param name="SupportsWarmStart">
/// True when <paramref name="TrainerType"/> has a <c>Fit(IDataView, ...ModelParameters)</c> overload that continues
/// from existing linear model parameters. Hard-coded here; a unit test checks it against the trainer by reflection.
/// </param>
internal sealed record TrainerRegistration(
    MlTask Task,
    string Name,
    Type TrainerType,
    Type OptionsType,
    bool SupportsWarmStart);
