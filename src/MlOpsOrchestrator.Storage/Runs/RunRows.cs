using System.Data.Common;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage.Sql;

namespace MlOpsOrchestrator.Storage.Runs;

/// <summary>How a <see cref="RunRecord"/> maps to a row of <c>runs</c>, in one place for reads and writes.</summary>
internal static class RunRows
{
    public const string Columns =
        "run_id, pipeline, pipeline_version, pipeline_file, pipeline_yaml, trigger_name, mode, status, level, level_reasons, " +
        "parameters, step_subset, created_at, started_at, finished_at, error, model_name, model_version, owner, heartbeat_at, idempotency_key, " +
        "requested_by, retry_of, cancel_requested_by, cancel_reason, cancel_requested_at, resumed_by";

    public const string Parameters =
        "@run_id, @pipeline, @pipeline_version, @pipeline_file, @pipeline_yaml, @trigger_name, @mode, @status, @level, @level_reasons, " +
        "@parameters, @step_subset, @created_at, @started_at, @finished_at, @error, @model_name, @model_version, @owner, @heartbeat_at, @idempotency_key, " +
        "@requested_by, @retry_of, @cancel_requested_by, @cancel_reason, @cancel_requested_at, @resumed_by";

    public const string MutableAssignments =
        "status = @status, started_at = @started_at, finished_at = @finished_at, error = @error, model_name = @model_name, " +
        "model_version = @model_version, owner = @owner, heartbeat_at = @heartbeat_at, resumed_by = @resumed_by";

    public static DbCommand BindAll(this DbCommand command, RunRecord run, ISqlEngine engine) =>
        command.BindMutable(run, engine)
            .With("@pipeline", run.Pipeline)
            .With("@pipeline_version", run.PipelineVersion)
            .With("@pipeline_file", run.PipelineFile)
            .With("@pipeline_yaml", run.PipelineYaml)
            .With("@trigger_name", run.Trigger)
            .With("@mode", ModeName(run.Mode))
            .With("@level", run.Level)
            .With("@level_reasons", JsonColumn.Write(run.LevelReasons ?? []))
            .With("@parameters", JsonColumn.Write(run.Parameters ?? new Dictionary<string, string>()))
            .With("@step_subset", JsonColumn.WriteNullable(run.StepSubset))
            .With("@created_at", engine.TimeValue(run.CreatedAt))
            .With("@idempotency_key", run.IdempotencyKey)
            .With("@requested_by", run.RequestedBy)
            .With("@retry_of", run.RetryOf)
            .With("@cancel_requested_by", run.CancelRequest?.By)
            .With("@cancel_reason", run.CancelRequest?.Reason)
            .With("@cancel_requested_at", engine.TimeValue(run.CancelRequest?.At));

    public static DbCommand BindMutable(this DbCommand command, RunRecord run, ISqlEngine engine) =>
        command
            .With("@run_id", run.RunId)
            .With("@status", StatusNames.Of(run.Status))
            .With("@started_at", engine.TimeValue(run.StartedAt))
            .With("@finished_at", engine.TimeValue(run.FinishedAt))
            .With("@error", run.Error)
            .With("@model_name", run.Model?.Name)
            .With("@model_version", run.Model?.Version)
            .With("@owner", run.Owner)
            .With("@heartbeat_at", engine.TimeValue(run.HeartbeatAt))
            .With("@resumed_by", run.ResumedBy);

    public static RunRecord Read(DbDataReader reader, ISqlEngine engine)
    {
        var modelName = reader.GetNullableString(16);
        var modelVersion = reader.GetNullableInt32(17);
        return new RunRecord
        {
            RunId = reader.GetString(0),
            Pipeline = reader.GetString(1),
            PipelineVersion = reader.GetString(2),
            PipelineFile = reader.GetString(3),
            PipelineYaml = reader.GetString(4),
            Trigger = reader.GetString(5),
            Mode = Enum.Parse<RunMode>(reader.GetString(6), ignoreCase: true),
            Status = StatusNames.ParseRun(reader.GetString(7)),
            Level = reader.GetInt(8),
            LevelReasons = JsonColumn.List(reader.GetString(9)),
            Parameters = JsonColumn.Strings(reader.GetString(10)),
            StepSubset = reader.GetNullableString(11) is { } subset ? JsonColumn.List(subset) : null,
            CreatedAt = engine.ReadTime(reader, 12),
            StartedAt = reader.GetNullableTime(13, engine),
            FinishedAt = reader.GetNullableTime(14, engine),
            Error = reader.GetNullableString(15),
            Model = modelName is not null && modelVersion is { } version ? new ModelRef(modelName, version) : null,
            Owner = reader.GetNullableString(18),
            HeartbeatAt = reader.GetNullableTime(19, engine),
            IdempotencyKey = reader.GetNullableString(20),
            RequestedBy = reader.GetNullableString(21),
            RetryOf = reader.GetNullableString(22),
            CancelRequest = reader.GetNullableString(23) is { } by && reader.GetNullableTime(25, engine) is { } at
                ? new CancelRequest(by, reader.GetNullableString(24), at)
                : null,
            ResumedBy = reader.GetNullableString(26),
        };
    }

    public static async Task<IReadOnlyList<RunRecord>> ReadAllAsync(DbCommand command, ISqlEngine engine, CancellationToken ct)
    {
        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            runs.Add(Read(reader, engine));
        }

        return runs;
    }

    private static string ModeName(RunMode mode) => mode switch
    {
        RunMode.Full => "full",
        RunMode.Incremental => "incremental",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown run mode."),
    };
}
