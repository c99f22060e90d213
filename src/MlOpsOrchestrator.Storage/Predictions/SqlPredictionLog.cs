using System.Data;
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
    private const string Columns = "model, version, at, features_json, prediction_json, latency_ms, alias, prediction_id, request_key, shadow";

    private readonly string _log = engine.Table("prediction_log");

    private static readonly (string Name, DbType? Type)[] Inserted =
    [
        ("model", DbType.String), ("version", DbType.Int32), ("at", null), // timestamptz or text: the engine's value decides.
        ("features_json", DbType.String), ("prediction_json", DbType.String), ("latency_ms", DbType.Double),
        ("alias", DbType.String), ("prediction_id", DbType.String), ("request_key", DbType.String), ("shadow", DbType.Boolean),
    ];

    public Task AppendAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct) =>
        BatchInsert.WriteAsync(engine, _log, Inserted, records, "Prediction record", Problem, (record, p) =>
        {
            p[0].Value = record.Model;
            p[1].Value = record.Version;
            p[2].Value = engine.TimeValue(record.At);
            p[3].Value = record.FeaturesJson;
            p[4].Value = record.PredictionJson;
            p[5].Value = record.LatencyMilliseconds;
            p[6].Value = record.Alias;
            p[7].Value = (object?)record.PredictionId ?? DBNull.Value;
            p[8].Value = (object?)record.Key ?? DBNull.Value;
            p[9].Value = record.Shadow;
        }, nameof(records), ct);

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
            .Command($"SELECT {Columns} FROM {_log} WHERE model = @model AND at >= @since AND shadow = @shadow ORDER BY at DESC, seq DESC LIMIT @limit")
            .With("@model", model)
            .With("@since", engine.TimeValue(since))
            .With("@shadow", false)
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
                    reader.GetDouble(5),
                    reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    Convert.ToBoolean(reader.GetValue(9), CultureInfo.InvariantCulture)));
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
        { Alias: var a } when string.IsNullOrWhiteSpace(a) => "has no alias",
        { PredictionJson: null } => "has a null prediction",
        { LatencyMilliseconds: var l } when !double.IsFinite(l) || l < 0 =>
            $"has latency {l.ToString(CultureInfo.InvariantCulture)} ms, not a finite non-negative number",
        _ => null,
    };
}
