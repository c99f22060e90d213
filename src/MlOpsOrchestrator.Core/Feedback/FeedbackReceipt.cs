using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Feedback;

/// <summary>What became of a batch of labels: one outcome per label, in order, and the counts a summary line shows.</summary>
public sealed record FeedbackReceipt(string Model, IReadOnlyList<FeedbackOutcome> Results)
{
    public int Accepted => Results.Count(r => r.Status == FeedbackStatus.Accepted);

    public int Duplicates => Results.Count(r => r.Status == FeedbackStatus.Duplicate);

    public int Unknown => Results.Count(r => r.Status == FeedbackStatus.Unknown);
}
