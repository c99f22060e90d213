using System.Data.Common;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Sql;

namespace MlOpsOrchestrator.Storage.Runs;

/// <summary>How a <see cref="StepRecord"/> maps to a row of <c>steps</c>.</summary>
internal static class StepRows
{
    public const string Columns =
        "run_id, step_id, kind, status, attempts, started_at, finished_at, metrics, artifacts, outputs, error, decided_by, reason";

    public const string MutableAssignments =
        "status = @status, attempts = @attempts, started_at = @started_at, finished_at = @finished_at, metrics = @metrics, " +
        "artifacts = @artifacts, outputs = @outputs, error = @error, decided_by = @decided_by, reason = @reason";

    public static DbCommand Bind(this DbCommand command, StepRecord step, ISqlEngine engine) =>
        command
            .With("@run_id", step.RunId)
            .With("@step_id", step.StepId)
            .With("@kind", step.Kind)
            .With("@status", StatusNames.Of(step.Status))
            .With("@attempts", step.Attempts)
            .With("@started_at", engine.TimeValue(step.StartedAt))
            .With("@finished_at", engine.TimeValue(step.FinishedAt))
            .With("@metrics", JsonColumn.Write(step.Metrics ?? new Dictionary<string, double>()))
            .With("@artifacts", JsonColumn.Write(step.Artifacts ?? new Dictionary<string, string>()))
            .With("@outputs", JsonColumn.Write(step.Outputs ?? new Dictionary<string, string>()))
            .With("@error", step.Error)
            .With("@decided_by", step.DecidedBy)
            .With("@reason", step.Reason);

    public static StepRecord Read(DbDataReader reader, ISqlEngine engine) => new()
    {
        RunId = reader.GetString(0),
        StepId = reader.GetString(1),
        Kind = reader.GetString(2),
        Status = StatusNames.ParseStep(reader.GetString(3)),
        Attempts = reader.GetInt(4),
        StartedAt = reader.GetNullableTime(5, engine),
        FinishedAt = reader.GetNullableTime(6, engine),
        Metrics = JsonColumn.Numbers(reader.GetString(7)),
        Artifacts = JsonColumn.Strings(reader.GetString(8)),
        Outputs = JsonColumn.Strings(reader.GetString(9)),
        Error = reader.GetNullableString(10),
        DecidedBy = reader.GetNullableString(11),
        Reason = reader.GetNullableString(12),
    };
}
