namespace MlOpsOrchestrator.Catalogs;

/// <summary>One option a trainer accepts under <c>options:</c>, by its snake_case YAML name.</summary>
/// <param name="Name">The snake_case name used in YAML.</param>
/// <param name="Kind">The value type the option takes.</param>
/// <param name="EnumValues">For <see cref="OptionValueKind.Enum"/>, the snake_case names of the accepted values.</param>
public sealed record TrainerOption(string Name, OptionValueKind Kind, IReadOnlyList<string>? EnumValues = null);
