namespace MlOpsOrchestrator.Feedback;

public enum PromotionOutcome
{
    /// <summary>Nothing moved: no challenger, not enough labels, or better but not by enough yet.</summary>
    Waiting,

    /// <summary>Production moved to the challenger's version and the challenger alias was removed.</summary>
    Promoted,

    /// <summary>The challenger lost, or its time ran out: its alias was removed, production untouched.</summary>
    Withdrawn,
}
