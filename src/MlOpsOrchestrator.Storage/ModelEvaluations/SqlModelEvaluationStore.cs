using System.Data;
using System.Data.Common;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.ModelEvaluations;

/// <summary>
/// The evaluation store on either engine. A step's rows replace what the same run and step wrote before, in one write
/// transaction (delete, then one prepared <c>INSERT</c> per row), so a re-executed step keeps one set of numbers. NaN
/// is stored as NULL (SQLite has no NaN) and reads back as NaN.
/// </summary>
internal sealed class SqlModelEvaluationStore(ISqlEngine engine) : IModelEvaluationStore
{
    private const string Columns = "model, version, run_id, step_id, trained_by, data_hash, slice_column, slice_value, metric, value, row_count, role, at";

    private readonly string _table = engine.Table("model_evaluations");

    private static readonly (string Name, DbType? Type)[] Inserted =
    [
        ("model", DbType.String), ("version", DbType.Int32), ("run_id", DbType.String), ("step_id", DbType.String),
        ("trained_by", DbType.String), ("data_hash", DbType.String), ("slice_column", DbType.String), ("slice_value", DbType.String),
        ("metric", DbType.String), ("value", DbType.Double), ("row_count", DbType.Int32), ("role", DbType.String),
        ("at", null), // timestamptz or text: the engine's value decides.
    ];

    public async Task ReplaceAsync(string runId, string stepId, IReadOnlyList<ModelEvaluation> evaluations, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(stepId);
        ArgumentNullException.ThrowIfNull(evaluations);
        for (var i = 0; i < evaluations.Count; i++)
        {
            if (Problem(evaluations[i], runId, stepId) is { } why)
            {
                throw new ArgumentException($"Evaluation {i} {why}; nothing was written.", nameof(evaluations));
            }
        }

        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await connection.ExecuteAsync($"DELETE FROM {_table} WHERE run_id = @run AND step_id = @step", transaction, ct, ("@run", runId), ("@step", stepId));
        if (evaluations.Count > 0)
        {
            await using var insert = connection.Command(
                $"INSERT INTO {_table} ({Columns}) VALUES ({string.Join(", ", Inserted.Select(c => "@" + c.Name))})", transaction);
            var p = Inserted.Select(c => Parameter(insert, "@" + c.Name, c.Type)).ToArray();
            for (var i = 0; i < evaluations.Count; i++)
            {
                var e = evaluations[i];
                p[0].Value = e.Model;
                p[1].Value = e.Version is { } version ? version : DBNull.Value;
                p[2].Value = e.RunId;
                p[3].Value = e.StepId;
                p[4].Value = (object?)e.TrainedBy ?? DBNull.Value;
                p[5].Value = (object?)e.DataHash ?? DBNull.Value;
                p[6].Value = e.SliceColumn;
                p[7].Value = e.SliceValue;
                p[8].Value = e.Metric;
                p[9].Value = double.IsNaN(e.Value) ? DBNull.Value : e.Value;
                p[10].Value = e.Rows;
                p[11].Value = e.Role;
                p[12].Value = engine.TimeValue(e.At);
                if (i == 0)
                {
                    await insert.PrepareAsync(ct);
                }

                await insert.ExecuteNonQueryAsync(ct);
            }
        }

        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<ModelEvaluation>> ReadAsync(string model, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(model);
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection.Command($"SELECT {Columns} FROM {_table} WHERE model = @model ORDER BY at, seq").With("@model", model);
        var found = new List<ModelEvaluation>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found.Add(new ModelEvaluation
            {
                Model = reader.GetString(0),
                Version = reader.GetNullableInt32(1),
                RunId = reader.GetString(2),
                StepId = reader.GetString(3),
                TrainedBy = reader.GetNullableString(4),
                DataHash = reader.GetNullableString(5),
                SliceColumn = reader.GetString(6),
                SliceValue = reader.GetString(7),
                Metric = reader.GetString(8),
                Value = reader.IsDBNull(9) ? double.NaN : reader.GetDouble(9),
                Rows = reader.GetInt(10),
                Role = reader.GetString(11),
                At = engine.ReadTime(reader, 12),
            });
        }

        return found;
    }

    private static string? Problem(ModelEvaluation? e, string runId, string stepId) => e switch
    {
        null => "is null",
        { RunId: var r } when r != runId => $"belongs to run '{r}', not '{runId}'",
        { StepId: var s } when s != stepId => $"belongs to step '{s}', not '{stepId}'",
        { Model: var m } when string.IsNullOrWhiteSpace(m) => "has no model",
        { Metric: var m } when string.IsNullOrWhiteSpace(m) => "has no metric",
        { Role: not (ModelEvaluation.CandidateRole or ModelEvaluation.ProductionRole) } => $"has role '{e.Role}', not candidate or production",
        { SliceColumn: null } or { SliceValue: null } => "has a null slice",
        { Rows: < 0 } => "has a negative row count",
        _ => null,
    };

    private static DbParameter Parameter(DbCommand command, string name, DbType? type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (type is { } dbType)
        {
            parameter.DbType = dbType;
        }

        command.Parameters.Add(parameter);
        return parameter;
    }
}
