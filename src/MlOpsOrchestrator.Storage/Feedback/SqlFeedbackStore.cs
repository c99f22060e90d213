using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Feedback;

/// <summary>
/// Labels on either engine, and the join online metrics read. A batch is one write transaction with its statements
/// prepared once; each label is checked against what is stored before it (so a duplicate inside one batch is caught
/// too). The join runs in the database (<c>prediction_log JOIN feedback_labels</c> on model and prediction id, over
/// the window's predictions) and streams its rows: nothing of the window is held in memory here.
/// </summary>
internal sealed class SqlFeedbackStore(ISqlEngine engine) : IFeedbackStore
{
    private readonly string _labels = engine.Table("feedback_labels");
    private readonly string _log = engine.Table("prediction_log");

    public async Task<IReadOnlyList<FeedbackOutcome>> AddAsync(
        string model, IReadOnlyList<FeedbackLabel> labels, string by, DateTimeOffset receivedAt, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ArgumentNullException.ThrowIfNull(labels);
        for (var i = 0; i < labels.Count; i++)
        {
            if (Problem(labels[i]) is { } why)
            {
                throw new ArgumentException($"Label {i} {why}; nothing of the batch was written.", nameof(labels));
            }
        }

        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await using var statements = new Statements(connection, transaction, _labels, _log, engine, model);
        var outcomes = new List<FeedbackOutcome>(labels.Count);
        var received = engine.TimeValue(receivedAt);
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            var id = label.PredictionId ?? await statements.FindByKeyAsync(label.Key!, label.At!.Value, ct);
            if (id is not null && await statements.IsLabelledAsync(id, ct))
            {
                outcomes.Add(new FeedbackOutcome(i, FeedbackStatus.Duplicate, id, $"prediction '{id}' already has a label; the first one stands"));
                continue;
            }

            await statements.InsertAsync(id, label, by, received, ct);
            outcomes.Add(id is null
                ? new FeedbackOutcome(i, FeedbackStatus.Unknown, null,
                    $"no prediction with key '{label.Key}' at or before {label.At!.Value.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} yet; kept, and matched when one is logged")
                : await statements.IsLoggedAsync(id, ct)
                    ? new FeedbackOutcome(i, FeedbackStatus.Accepted, id, null)
                    : new FeedbackOutcome(i, FeedbackStatus.Unknown, id, $"no prediction '{id}' in the log yet; kept, and counted when it is logged"));
        }

        await statements.MatchWaitingKeysAsync(ct);
        await transaction.CommitAsync(ct);
        return outcomes;
    }

    public async Task MatchWaitingAsync(string model, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using (var waiting = connection
            .Command($"SELECT COUNT(*) FROM {_labels} WHERE model = @model AND prediction_id IS NULL")
            .With("@model", model))
        {
            if (Convert.ToInt64(await waiting.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 0)
            {
                return;
            }
        }

        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await using var statements = new Statements(connection, transaction, _labels, _log, engine, model);
        await statements.MatchWaitingKeysAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async IAsyncEnumerable<LabelledPrediction> ReadLabelledAsync(string model, DateTimeOffset since, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT p.alias, p.version, p.prediction_json, l.label FROM {_log} p " +
                     $"JOIN {_labels} l ON l.model = p.model AND l.prediction_id = p.prediction_id " +
                     "WHERE p.model = @model AND p.at >= @since")
            .With("@model", model)
            .With("@since", engine.TimeValue(since));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new LabelledPrediction(reader.GetString(0), reader.GetInt(1), reader.GetString(2), reader.GetString(3));
        }
    }

    public async IAsyncEnumerable<ServedPrediction> ReadServedAsync(string model, DateTimeOffset since, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT alias, version, shadow, latency_ms FROM {_log} WHERE model = @model AND at >= @since")
            .With("@model", model)
            .With("@since", engine.TimeValue(since));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new ServedPrediction(
                reader.GetString(0), reader.GetInt(1), Convert.ToBoolean(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetDouble(3));
        }
    }

    public async Task<int> CountWaitingAsync(string model, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT COUNT(*) FROM {_labels} l WHERE l.model = @model AND NOT EXISTS " +
                     $"(SELECT 1 FROM {_log} p WHERE p.model = l.model AND p.prediction_id = l.prediction_id)")
            .With("@model", model);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>What makes a label unstorable, or null.</summary>
    private static string? Problem(FeedbackLabel? label) => label switch
    {
        null => "is null",
        { Label: var l } when string.IsNullOrWhiteSpace(l) => "has no label",
        { PredictionId: { } id } when string.IsNullOrWhiteSpace(id) => "has an empty prediction id",
        { PredictionId: null, Key: null } => "names neither a prediction id nor a request key",
        { PredictionId: null, At: null } => "names a request key without a time",
        _ => null,
    };

    /// <summary>The statements of one batch, prepared once on its transaction.</summary>
    private sealed class Statements(DbConnection connection, DbTransaction transaction, string labels, string log, ISqlEngine engine, string model) : IAsyncDisposable
    {
        private readonly DbCommand _byKey = connection
            .Command($"SELECT prediction_id FROM {log} WHERE model = @model AND request_key = @key AND at <= @at AND shadow = @shadow " +
                     "AND prediction_id IS NOT NULL ORDER BY at DESC, seq DESC LIMIT 1", transaction)
            .With("@model", model).With("@key", "").With("@at", engine.TimeValue(DateTimeOffset.UnixEpoch)).With("@shadow", false);

        private readonly DbCommand _labelled = connection
            .Command($"SELECT COUNT(*) FROM {labels} WHERE model = @model AND prediction_id = @id", transaction)
            .With("@model", model).With("@id", "");

        private readonly DbCommand _logged = connection
            .Command($"SELECT COUNT(*) FROM (SELECT 1 FROM {log} WHERE model = @model AND prediction_id = @id LIMIT 1) x", transaction)
            .With("@model", model).With("@id", "");

        private readonly DbCommand _insert = connection
            .Command($"INSERT INTO {labels} (model, prediction_id, request_key, label, label_at, received_at, received_by) " +
                     "VALUES (@model, @id, @key, @label, @at, @received, @by)", transaction)
            .With("@model", model).With("@id", null).With("@key", null).With("@label", "").With("@at", null).With("@received", null).With("@by", "");

        public async Task<string?> FindByKeyAsync(string key, DateTimeOffset at, CancellationToken ct)
        {
            _byKey.Parameters[1].Value = key;
            _byKey.Parameters[2].Value = engine.TimeValue(at);
            return await _byKey.ExecuteScalarAsync(ct) is string id ? id : null;
        }

        public async Task<bool> IsLabelledAsync(string id, CancellationToken ct)
        {
            _labelled.Parameters[1].Value = id;
            return Convert.ToInt64(await _labelled.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
        }

        public async Task<bool> IsLoggedAsync(string id, CancellationToken ct)
        {
            _logged.Parameters[1].Value = id;
            return Convert.ToInt64(await _logged.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
        }

        public async Task InsertAsync(string? id, FeedbackLabel label, string by, object received, CancellationToken ct)
        {
            _insert.Parameters[1].Value = (object?)id ?? DBNull.Value;
            _insert.Parameters[2].Value = id is null ? label.Key : DBNull.Value;
            _insert.Parameters[3].Value = label.Label;
            _insert.Parameters[4].Value = label.At is { } at ? engine.TimeValue(at) : DBNull.Value;
            _insert.Parameters[5].Value = received;
            _insert.Parameters[6].Value = by;
            await _insert.ExecuteNonQueryAsync(ct);
        }

        /// <summary>Key labels stored before their prediction was logged: matched now if it is, unless that prediction has a label by now.</summary>
        public async Task MatchWaitingKeysAsync(CancellationToken ct)
        {
            var waiting = new List<(long Seq, string Key, DateTimeOffset At)>();
            await using (var select = connection
                .Command($"SELECT seq, request_key, label_at FROM {labels} WHERE model = @model AND prediction_id IS NULL ORDER BY seq", transaction)
                .With("@model", model))
            await using (var reader = await select.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    waiting.Add((reader.GetInt64(0), reader.GetString(1), engine.ReadTime(reader, 2)));
                }
            }

            foreach (var (seq, key, at) in waiting)
            {
                if (await FindByKeyAsync(key, at, ct) is { } id && !await IsLabelledAsync(id, ct))
                {
                    await connection.ExecuteAsync($"UPDATE {labels} SET prediction_id = @id WHERE seq = @seq", transaction, ct, ("@id", id), ("@seq", seq));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _byKey.DisposeAsync();
            await _labelled.DisposeAsync();
            await _logged.DisposeAsync();
            await _insert.DisposeAsync();
        }
    }
}
