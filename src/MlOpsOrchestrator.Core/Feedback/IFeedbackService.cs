using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Feedback;

/// <summary>
/// The one way labels come in, from the API and the CLI alike: the model must be registered, each label is one line of
/// at most <see cref="MaxLabelLength"/> characters, a prediction id or request key at most
/// <see cref="Security.InputText.MaxLineLength"/>, and a batch at most <see cref="MaxBatch"/> labels. A bad item
/// refuses the batch (<see cref="Execution.ModelControlException"/> naming its index); otherwise the store says what
/// became of each.
/// </summary>
public interface IFeedbackService
{
    const int MaxLabelLength = 200;

    const int MaxBatch = 100_000;

    Task<FeedbackReceipt> SubmitAsync(string model, IReadOnlyList<FeedbackLabel> labels, string by, CancellationToken ct);

    static IFeedbackService Create(IFeedbackStore store, IModelRegistry registry, TimeProvider time) => new FeedbackService(store, registry, time);
}
