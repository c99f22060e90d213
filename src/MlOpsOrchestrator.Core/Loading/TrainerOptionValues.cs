using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>Checks a YAML option value against what the trainer option accepts.</summary>
internal static class TrainerOptionValues
{
    public static string? Problem(TrainerOption option, object value) => option.Kind switch
    {
        OptionValueKind.Integer when value is not long => $"option '{option.Name}' takes a whole number, got '{value}'",
        OptionValueKind.Float when value is not (long or double) => $"option '{option.Name}' takes a number, got '{value}'",
        OptionValueKind.Boolean when value is not bool => $"option '{option.Name}' takes true or false, got '{value}'",
        OptionValueKind.Enum when value is not string s || !(option.EnumValues ?? []).Contains(s) =>
            $"option '{option.Name}' takes one of {Echo.List(option.EnumValues ?? [])}, got '{value}'",
        OptionValueKind.Text when value is not string => $"option '{option.Name}' takes text, got '{value}'",
        _ => null,
    };
}
