using System.Data;
using System.Data.Common;
using System.Globalization;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Predictions;

/// <summary>
/// The prediction log on either engine. A batch is one transaction with one prepared <c>INSERT</c> reused for every
/// record; the JSON is stored verbatim as text. A latency must be a finite, non-negative number of milliseconds: a
/// batch holding another is refused whole. Reads keep the newest <c>limit</c> records at or after <c>since</c> and
/// return them oldest first, records of the same time in the order they were appended.
/// </summary>
internal sealed class SqlPredictionLog(ISqlEngine engine) : IPredictionLog
{
    private const string Columns = "model, version, at, features_json, prediction_json, latency_ms";

    private readonly string _log = engine.Table("prediction_log");

    public async Task AppendAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (Problem(records[i]) is { } problem)
            {
                throw new ArgumentException($"Prediction record {i} {problem}; nothing of the batch was written.", nameof(records));
            }
        }

        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await using var insert = connection.Command(
            $"INSERT INTO {_log} ({Columns}) VALUES (@model, @version, @at, @features_json, @prediction_json, @latency_ms)",
            transaction);
        var model = Parameter(insert, "@model", DbType.String);
        var version = Parameter(insert, "@version", DbType.Int32);
        var at = Parameter(insert, "@at", null); // timestamptz or text: the engine's value decides.
        var features = Parameter(insert, "@features_json", DbType.String);
        var prediction = Parameter(insert, "@prediction_json", DbType.String);
        var latency = Parameter(insert, "@latency_ms", DbType.Double);

        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            model.Value = record.Model;
            version.Value = record.Version;
            at.Value = engine.TimeValue(record.At);
            features.Value = record.FeaturesJson;
            prediction.Value = record.PredictionJson;
            latency.Value = record.LatencyMilliseconds;
            if (i == 0)
            {
                // Prepared once the first row has told the provider every parameter's type.
                await insert.PrepareAsync(ct);
            }

            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<PredictionRecord>> ReadAsync(string model, DateTimeOffset since, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT {Columns} FROM {_log} WHERE model = @model AND at >= @since ORDER BY at DESC, seq DESC LIMIT @limit")
            .With("@model", model)
            .With("@since", engine.TimeValue(since))
            .With("@limit", limit);
        var newestFirst = new List<PredictionRecord>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                newestFirst.Add(new PredictionRecord(
                    reader.GetString(0),
                    reader.GetInt(1),
                    engine.ReadTime(reader, 2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetDouble(5)));
            }
        }

        newestFirst.Reverse();
        return newestFirst;
    }

    /// <summary>What makes the row unwritable, or null.</summary>
    private static string? Problem(PredictionRecord? record) => record switch
    {
        null => "is null",
        { Model: var m } when string.IsNullOrWhiteSpace(m) => "has no model",
        { FeaturesJson: null } => "has null features",
        { PredictionJson: null } => "has a null prediction",
        { LatencyMilliseconds: var l } when !double.IsFinite(l) || l < 0 =>
            $"has latency {l.ToString(CultureInfo.InvariantCulture)} ms, not a finite non-negative number",
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
