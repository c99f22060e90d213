using System.Data.Common;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Runs;

/// <summary>
/// Run history on either engine. Newest first means by creation time, ties broken by insertion order; the steps of a
/// run come back in the order they were given to <see cref="CreateAsync"/>.
/// </summary>
internal sealed class SqlRunStore(ISqlEngine engine) : IRunRepository, IRunExecutionStore
{
    private readonly string _runs = engine.Table("runs");
    private readonly string _steps = engine.Table("steps");
    private readonly string _evaluations = engine.Table("model_evaluations");
    private readonly string _versions = engine.Table("model_versions");

    public async Task<(RunRecord Run, bool Created)> CreateAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.FirstOrDefault(s => !string.Equals(s.RunId, run.RunId, StringComparison.Ordinal)) is { } stranger)
        {
            throw new ArgumentException($"Step '{stranger.StepId}' belongs to run '{stranger.RunId}', not '{run.RunId}'.", nameof(steps));
        }

        await using var connection = await engine.OpenAsync(ct);
        await using (var transaction = await engine.BeginWriteAsync(connection, ct))
        {
            if (run.IdempotencyKey is { } key && await FindByKeyAsync(connection, transaction, key, ct) is { } existing)
            {
                return (existing, false);
            }

            // The unique key decides a race between two processes launching the same fire: the loser inserts nothing.
            await using (var insert = connection.Command(
                $"INSERT INTO {_runs} ({RunRows.Columns}) VALUES ({RunRows.Parameters}) ON CONFLICT (idempotency_key) DO NOTHING", transaction))
            {
                if (await insert.BindAll(run, engine).ExecuteNonQueryAsync(ct) == 0)
                {
                    await transaction.RollbackAsync(ct);
                    return (await FindByKeyAsync(connection, null, run.IdempotencyKey!, ct)
                        ?? throw new InvalidOperationException($"Run with idempotency key '{run.IdempotencyKey}' vanished."), false);
                }
            }

            for (var i = 0; i < steps.Count; i++)
            {
                await using var insert = connection.Command(
                    $"INSERT INTO {_steps} ({StepRows.Columns}, ordinal) VALUES (@run_id, @step_id, @kind, @status, @attempts, " +
                    "@started_at, @finished_at, @metrics, @artifacts, @outputs, @error, @decided_by, @reason, @result, @ordinal)", transaction);
                await insert.Bind(steps[i], engine).With("@ordinal", i).ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }

        return (run, true);
    }

    public async Task<RunRecord?> GetAsync(string runId, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection.Command($"SELECT {RunRows.Columns} FROM {_runs} WHERE run_id = @run_id").With("@run_id", runId);
        return (await RunRows.ReadAllAsync(command, engine, ct)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT {StepRows.Columns} FROM {_steps} WHERE run_id = @run_id ORDER BY ordinal")
            .With("@run_id", runId);
        var steps = new List<StepRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            steps.Add(StepRows.Read(reader, engine));
        }

        return steps;
    }

    public async Task<IReadOnlyList<RunRecord>> ListAsync(string? pipeline, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await engine.OpenAsync(ct);
        var where = pipeline is null ? "" : "WHERE pipeline = @pipeline ";
        await using var command = connection
            .Command($"SELECT {RunRows.Columns} FROM {_runs} {where}ORDER BY created_at DESC, seq DESC LIMIT @limit")
            .With("@limit", limit);
        if (pipeline is not null)
        {
            command.With("@pipeline", pipeline);
        }

        return await RunRows.ReadAllAsync(command, engine, ct);
    }

    public async Task<IReadOnlyList<string>> ListPipelinesAsync(CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection.Command($"SELECT DISTINCT pipeline FROM {_runs}");
        return (await ReadStringsAsync(command, ct)).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<string>> FindIdsAsync(string prefix, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await engine.OpenAsync(ct);

        // substr rather than LIKE: an id typed by a person may hold '%' or '_', which must match only themselves.
        await using var command = connection
            .Command($"SELECT run_id FROM {_runs} WHERE substr(run_id, 1, @length) = @prefix ORDER BY run_id LIMIT @limit")
            .With("@length", prefix.Length)
            .With("@prefix", prefix)
            .With("@limit", limit);
        return (await ReadStringsAsync(command, ct)).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<List<string>> ReadStringsAsync(DbCommand command, CancellationToken ct)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public async Task<IReadOnlyList<RunRecord>> FindAsync(RunQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        if (query.Statuses is { Count: 0 })
        {
            return [];
        }

        var names = query.Statuses?.Distinct().Select(StatusNames.Of).ToList() ?? [];
        var conditions = new List<string>();
        if (query.Pipeline is not null)
        {
            conditions.Add("pipeline = @pipeline");
        }

        if (query.Trigger is not null)
        {
            conditions.Add("trigger_name = @trigger");
        }

        if (names.Count > 0)
        {
            conditions.Add($"status IN ({string.Join(", ", names.Select((_, i) => $"@status{i}"))})");
        }

        var where = conditions.Count == 0 ? "" : $"WHERE {string.Join(" AND ", conditions)} ";
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT {RunRows.Columns} FROM {_runs} {where}ORDER BY created_at DESC, seq DESC LIMIT @limit")
            .With("@limit", query.Limit);
        if (query.Pipeline is not null)
        {
            command.With("@pipeline", query.Pipeline);
        }

        if (query.Trigger is not null)
        {
            command.With("@trigger", query.Trigger);
        }

        for (var i = 0; i < names.Count; i++)
        {
            command.With($"@status{i}", names[i]);
        }

        return await RunRows.ReadAllAsync(command, engine, ct);
    }

    public async Task<IReadOnlyList<RunRecord>> ListByStatusAsync(string pipeline, IReadOnlyCollection<RunStatus> statuses, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (statuses.Count == 0)
        {
            return [];
        }

        var names = statuses.Distinct().Select(StatusNames.Of).ToList();
        var placeholders = string.Join(", ", names.Select((_, i) => $"@status{i}"));
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT {RunRows.Columns} FROM {_runs} WHERE pipeline = @pipeline AND status IN ({placeholders}) ORDER BY created_at DESC, seq DESC")
            .With("@pipeline", pipeline);
        for (var i = 0; i < names.Count; i++)
        {
            command.With($"@status{i}", names[i]);
        }

        return await RunRows.ReadAllAsync(command, engine, ct);
    }

    public async Task<RunClaim> ClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan staleAfter, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(staleAfter, TimeSpan.Zero);

        // One command, one round trip: a conditional UPDATE (RETURNING says whether it won), then the run and its steps
        // as they are after it. Both engines evaluate the condition against the latest committed row while holding its
        // write lock, so of two claimants exactly one changes the row.
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection.Command(
            $"UPDATE {_runs} SET owner = @owner, heartbeat_at = @now, status = @running, started_at = COALESCE(started_at, @now), error = NULL " +
            "WHERE run_id = @run_id AND status NOT IN (@succeeded, @failed, @cancelled) " +
            "AND (owner IS NULL OR owner = @owner OR heartbeat_at IS NULL OR heartbeat_at < @stale_before) RETURNING run_id;" +
            $"SELECT {RunRows.Columns} FROM {_runs} WHERE run_id = @run_id;" +
            $"SELECT {StepRows.Columns} FROM {_steps} WHERE run_id = @run_id ORDER BY ordinal;")
            .With("@owner", owner)
            .With("@now", engine.TimeValue(now))
            .With("@running", StatusNames.Of(RunStatus.Running))
            .With("@succeeded", StatusNames.Of(RunStatus.Succeeded))
            .With("@failed", StatusNames.Of(RunStatus.Failed))
            .With("@cancelled", StatusNames.Of(RunStatus.Cancelled))
            .With("@run_id", runId)
            .With("@stale_before", engine.TimeValue(Times.Before(now, staleAfter)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var claimed = false;
        while (await reader.ReadAsync(ct))
        {
            claimed = true;
        }

        RunRecord? run = null;
        if (await reader.NextResultAsync(ct) && await reader.ReadAsync(ct))
        {
            run = RunRows.Read(reader, engine);
        }

        var steps = new List<StepRecord>();
        if (await reader.NextResultAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                steps.Add(StepRows.Read(reader, engine));
            }
        }

        return new RunClaim(run, claimed && run is not null, steps);
    }

    public async Task CommitAsync(string? expectedOwner, IReadOnlyList<StepRecord> steps, RunRecord? run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (expectedOwner is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(expectedOwner);
        }

        var runId = run?.RunId ?? (steps.Count > 0 ? steps[0].RunId : null);
        if (runId is null)
        {
            return;
        }

        if (steps.FirstOrDefault(s => !string.Equals(s.RunId, runId, StringComparison.Ordinal)) is { } stranger)
        {
            throw new ArgumentException($"Step '{stranger.StepId}' belongs to run '{stranger.RunId}', not '{runId}': one commit changes one run.", nameof(steps));
        }

        // One command of several UPDATEs: one round trip, and one transaction (see ISqlEngine.BeginBatchAsync). First
        // the fence: a no-op update of the run row, only while the expected owner (or nobody) holds it. It takes the
        // row's write lock for the transaction, so no claim can change the owner until the updates after it are
        // committed; they are written only where the fence held (the run's own update last, as it may hand the run back).
        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginBatchAsync(connection, ct);
        await using var command = connection.Command("", transaction);
        var owned = expectedOwner is null ? "owner IS NULL" : "owner = @fence_owner";
        var sql = new System.Text.StringBuilder(
            $"UPDATE {_runs} SET owner = owner WHERE run_id = @fence_run AND {owned};");
        var fenced = $" AND EXISTS (SELECT 1 FROM {_runs} WHERE run_id = @fence_run AND {owned})";
        command.With("@fence_run", runId);
        if (expectedOwner is not null)
        {
            command.With("@fence_owner", expectedOwner);
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var suffix = $"_{i}";
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE {_steps} SET {StepRows.Assignments(suffix)} WHERE run_id = @run_id{suffix} AND step_id = @step_id{suffix}{fenced};");
            command.Bind(steps[i], engine, suffix);
        }

        if (run is not null)
        {
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE {_runs} SET {RunRows.MutableAssignments} WHERE run_id = @run_id AND {owned};");
            command.BindMutable(run, engine);
        }

        command.CommandText = sql.ToString();
        var expected = 1 + steps.Count + (run is null ? 0 : 1);
        var written = await command.ExecuteNonQueryAsync(ct);
        if (written == expected)
        {
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }

            return;
        }

        if (transaction is not null)
        {
            await transaction.RollbackAsync(ct);
        }

        if (written == 0 && await GetAsync(runId, ct) is { } current && current.Owner != expectedOwner)
        {
            throw new RunOwnershipLostException(runId, expectedOwner, current.Owner);
        }

        throw new KeyNotFoundException($"Run '{runId}' or one of its steps {string.Join(", ", steps.Select(s => $"'{s.StepId}'"))} does not exist.");
    }

    public async Task<bool> DeleteEndedRunAsync(string runId, CancellationToken ct)
    {
        const string Ended = "status IN ('succeeded', 'failed', 'cancelled')";
        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await connection.ExecuteAsync(
            $"DELETE FROM {_steps} WHERE run_id = @run_id AND EXISTS (SELECT 1 FROM {_runs} WHERE run_id = @run_id AND {Ended})", transaction, ct,
            ("@run_id", runId));
        // The evaluations it made go with it, except its scores of versions still registered (those describe a model
        // that is kept, e.g. production measured beside a candidate that lost).
        await connection.ExecuteAsync(
            $"DELETE FROM {_evaluations} AS e WHERE e.run_id = @run_id AND EXISTS (SELECT 1 FROM {_runs} WHERE run_id = @run_id AND {Ended}) " +
            $"AND (e.version IS NULL OR NOT EXISTS (SELECT 1 FROM {_versions} v WHERE v.name = e.model AND v.version = e.version))", transaction, ct,
            ("@run_id", runId));
        var deleted = await connection.ExecuteAsync($"DELETE FROM {_runs} WHERE run_id = @run_id AND {Ended}", transaction, ct, ("@run_id", runId));
        await transaction.CommitAsync(ct);
        return deleted > 0;
    }

    public async Task<bool> HeartbeatAsync(string runId, string owner, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        var updated = await connection.ExecuteAsync(
            $"UPDATE {_runs} SET heartbeat_at = @now WHERE run_id = @run_id AND owner = @owner",
            null, ct, ("@now", engine.TimeValue(now)), ("@run_id", runId), ("@owner", owner));
        return updated == 1;
    }

    public async Task<RunRecord?> RequestCancelAsync(string runId, CancelRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.By);
        await using var connection = await engine.OpenAsync(ct);
        await connection.ExecuteAsync(
            $"UPDATE {_runs} SET cancel_requested_by = @by, cancel_reason = @reason, cancel_requested_at = @at " +
            "WHERE run_id = @run_id AND cancel_requested_by IS NULL AND status NOT IN (@succeeded, @failed, @cancelled)",
            null, ct, ("@by", request.By), ("@reason", request.Reason), ("@at", engine.TimeValue(request.At)), ("@run_id", runId),
            ("@succeeded", StatusNames.Of(RunStatus.Succeeded)), ("@failed", StatusNames.Of(RunStatus.Failed)), ("@cancelled", StatusNames.Of(RunStatus.Cancelled)));
        return await GetAsync(runId, ct);
    }

    private async Task<RunRecord?> FindByKeyAsync(DbConnection connection, DbTransaction? transaction, string key, CancellationToken ct)
    {
        await using var command = connection
            .Command($"SELECT {RunRows.Columns} FROM {_runs} WHERE idempotency_key = @key", transaction)
            .With("@key", key);
        return (await RunRows.ReadAllAsync(command, engine, ct)).SingleOrDefault();
    }
}
