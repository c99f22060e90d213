using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Views;

/// <summary>The answer to feedback, as the API returns it and <c>mlops feedback --json</c> prints it.</summary>
internal sealed record FeedbackView(
    string Model, int Accepted, int Duplicates, int Unknown, IReadOnlyList<FeedbackView.Item> Results, IReadOnlyList<FeedbackView.Verdict> Promotion)
{
    public static FeedbackView Of(FeedbackReceipt receipt, IReadOnlyList<PromotionVerdict> verdicts) => new(
        receipt.Model,
        receipt.Accepted,
        receipt.Duplicates,
        receipt.Unknown,
        [.. receipt.Results.Select(r => new Item(r.Index, Status(r.Status), r.PredictionId, r.Reason))],
        [.. verdicts.Select(Verdict.Of)]);

    public static string Status(FeedbackStatus status) => status switch
    {
        FeedbackStatus.Accepted => "accepted",
        FeedbackStatus.Duplicate => "duplicate",
        _ => "unknown",
    };

    public sealed record Item(int Index, string Status, string? PredictionId, string? Reason);

    /// <summary>What <c>promote_when</c> decided right after the labels were stored.</summary>
    public sealed record Verdict(string Model, string Alias, string Outcome, string Reason)
    {
        public static Verdict Of(PromotionVerdict v) => new(v.Model, v.Alias, v.Outcome.ToString().ToLowerInvariant(), v.Reason);
    }
}
