using System.Data.Common;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Sql;

namespace MlOpsOrchestrator.Storage.Runs;

/// <summary>
/// How a <see cref="StepRecord"/> maps to a row of <c>steps</c>. The typed result has a column of its own
/// (<c>result</c>, <see cref="StepResultJson"/>) rather than replacing <c>outputs</c>: <c>outputs</c> keeps the flat
/// string dictionary it always held (<see cref="StepOutputs"/>), so a process of the previous version sharing the
/// database during an upgrade still reads every row, and a row without <c>result</c> is one written before typed
/// results, read from <c>outputs</c> by the old names.
/// </summary>
internal static class StepRows
{
    public const string Columns =
        "run_id, step_id, kind, status, attempts, started_at, finished_at, metrics, artifacts, outputs, error, decided_by, reason, result";

    public static readonly string MutableAssignments = Assignments("");

    /// <summary>The SET list of an update whose parameter names end in <paramref name="suffix"/> (several updates in one command).</summary>
    public static string Assignments(string suffix) =>
        $"status = @status{suffix}, attempts = @attempts{suffix}, started_at = @started_at{suffix}, finished_at = @finished_at{suffix}, " +
        $"metrics = @metrics{suffix}, artifacts = @artifacts{suffix}, outputs = @outputs{suffix}, error = @error{suffix}, " +
        $"decided_by = @decided_by{suffix}, reason = @reason{suffix}, result = @result{suffix}";

    public static DbCommand Bind(this DbCommand command, StepRecord step, ISqlEngine engine, string suffix = "") =>
        command
            .With($"@run_id{suffix}", step.RunId)
            .With($"@step_id{suffix}", step.StepId)
            .With($"@kind{suffix}", step.Kind)
            .With($"@status{suffix}", StatusNames.Of(step.Status))
            .With($"@attempts{suffix}", step.Attempts)
            .With($"@started_at{suffix}", engine.TimeValue(step.StartedAt))
            .With($"@finished_at{suffix}", engine.TimeValue(step.FinishedAt))
            .With($"@metrics{suffix}", JsonColumn.Write(step.Metrics ?? new Dictionary<string, double>()))
            .With($"@artifacts{suffix}", JsonColumn.Write(step.Artifacts ?? new Dictionary<string, string>()))
            .With($"@outputs{suffix}", JsonColumn.Write(StepOutputs.Of(step.Result)))
            .With($"@error{suffix}", step.Error)
            .With($"@decided_by{suffix}", step.DecidedBy)
            .With($"@reason{suffix}", step.Reason)
            .With($"@result{suffix}", StepResultJson.Write(step.Result));

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
        Result = ReadResult(reader.GetString(2), reader.GetString(9), reader.GetNullableString(13)),
        Error = reader.GetNullableString(10),
        DecidedBy = reader.GetNullableString(11),
        Reason = reader.GetNullableString(12),
    };

    private static StepResult? ReadResult(string kind, string outputs, string? result)
    {
        if (result is not null)
        {
            return StepResultJson.Read(result);
        }

        IReadOnlyDictionary<string, string> strings;
        try
        {
            strings = JsonColumn.Strings(outputs);
        }
        catch (System.Text.Json.JsonException)
        {
            return new UnrecognisedResult { Kind = kind, Version = 0, Json = outputs };
        }

        return StepOutputs.Read(kind, strings, outputs);
    }
}
