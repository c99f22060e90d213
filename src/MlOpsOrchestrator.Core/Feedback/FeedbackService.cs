using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Feedback;

internal sealed class FeedbackService(IFeedbackStore store, IModelRegistry registry, TimeProvider time) : IFeedbackService
{
    public async Task<FeedbackReceipt> SubmitAsync(string model, IReadOnlyList<FeedbackLabel> labels, string by, CancellationToken ct)
    {
        if ((await registry.ListVersionsAsync(model, ct)).Count == 0)
        {
            var names = await registry.ListNamesAsync(ct);
            throw new ModelControlException(
                $"no model named '{Echo.Value(model)}'{(names.Count > 0 ? $"; models: {Echo.List(names)}" : "; a pipeline's deploy step registers one")}",
                notFound: true);
        }

        if (labels.Count > IFeedbackService.MaxBatch)
        {
            throw new ModelControlException($"{labels.Count} labels in one batch; send at most {IFeedbackService.MaxBatch} at a time", input: "labels");
        }

        for (var i = 0; i < labels.Count; i++)
        {
            if (Problem(labels[i]) is { } problem)
            {
                throw new ModelControlException($"label {i}: {problem}; nothing of the batch was stored", input: "labels");
            }
        }

        return new FeedbackReceipt(model, await store.AddAsync(model, labels, by, time.GetUtcNow(), ct));
    }

    private static string? Problem(FeedbackLabel label)
    {
        if (string.IsNullOrWhiteSpace(label.Label))
        {
            return "the label is empty";
        }

        if (InputText.LineProblem(label.Label, IFeedbackService.MaxLabelLength) is { } labelProblem)
        {
            return $"the label {labelProblem}";
        }

        if (label.PredictionId is { } id)
        {
            return string.IsNullOrWhiteSpace(id) ? "the prediction id is empty" : InputText.LineProblem(id) is { } p ? $"the prediction id {p}" : null;
        }

        if (string.IsNullOrWhiteSpace(label.Key))
        {
            return "name the prediction: a prediction id, or a request key with its time";
        }

        if (label.At is null)
        {
            return "a request key needs the time of the request";
        }

        return InputText.LineProblem(label.Key) is { } keyProblem ? $"the key {keyProblem}" : null;
    }
}
