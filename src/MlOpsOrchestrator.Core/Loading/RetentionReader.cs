using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>Reads <c>retention: { keep_versions, keep_aliased_for, keep_runs_for }</c>; each key defaults on its own.</summary>
internal static class RetentionReader
{
    private static readonly string[] Keys = ["keep_versions", "keep_aliased_for", "keep_runs_for"];

    public static RetentionSpec? Read(ReadContext context, Fields top)
    {
        var retention = context.Open(top.Node("retention"), "retention", Keys, "'retention'");
        if (retention is null)
        {
            return null;
        }

        return new RetentionSpec
        {
            KeepVersions = (int)(retention.Integer("keep_versions", min: 1, max: 100_000) ?? RetentionSpec.DefaultKeepVersions),
            KeepAliasedFor = Durations.Read(retention, "keep_aliased_for") ?? RetentionSpec.DefaultKeepAliasedFor,
            KeepRunsFor = Durations.Read(retention, "keep_runs_for") ?? RetentionSpec.DefaultKeepRunsFor,
        };
    }
}
