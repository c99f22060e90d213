namespace MlOpsOrchestrator.Specs;

/// <summary>A feature a pipeline uses, written <c>view:feature</c> in <c>data.features</c>; its column is named <see cref="Column"/>.</summary>
public sealed record FeatureRef(string View, string Feature, SourceMark Mark, string Path)
{
    /// <summary>The column the feature becomes in the training set: <c>view__feature</c> (unique across views).</summary>
    public string Column => $"{View}__{Feature}";

    public override string ToString() => View.Length == 0 ? Feature : $"{View}:{Feature}";
}
