namespace MlOpsOrchestrator.Catalogs;

/// <summary>What a trainer option accepts, so the validator can reject <c>number_of_trees: many</c> before a run.</summary>
public enum OptionValueKind
{
    Integer,
    Float,
    Boolean,
    Text,
    Enum,
}
