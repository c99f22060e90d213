using Quartz;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// How a YAML cron trigger is named in Quartz: job and trigger <c>pipeline/trigger</c> in group <c>mlops</c>, with the
/// pipeline, trigger id and pipeline version as job data. Every node of a cluster derives the same keys, which is what
/// makes scheduling idempotent across nodes.
/// </summary>
internal static class PipelineJobKeys
{
    public const string Group = "mlops";

    public const string PipelineKey = "pipeline";

    public const string TriggerKey = "trigger";

    public const string VersionKey = "version";

    public static JobKey Job(string pipeline, string trigger) => new($"{pipeline}/{trigger}", Group);

    public static TriggerKey Trigger(string pipeline, string trigger) => new($"{pipeline}/{trigger}", Group);

    public static TriggerKey TriggerOf(JobKey job) => new(job.Name, job.Group);

    public static string? Read(JobDataMap data, string key) => data.TryGetValue(key, out var value) ? value as string : null;
}
