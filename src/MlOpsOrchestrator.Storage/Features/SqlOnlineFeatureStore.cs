using System.Data;
using System.Data.Common;
using System.Runtime.InteropServices;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Features;

/// <summary>
/// The online feature store on either engine: one row per event (appends and the drop of old events are plain
/// statements) and one row per view for its watermark. A refresh is one write transaction guarded by the view's
/// generation, so two refreshes of one view at once cannot interleave their appends.
/// </summary>
internal sealed class SqlOnlineFeatureStore(ISqlEngine engine) : IOnlineFeatureStore
{
    private readonly string _views = engine.Table("online_feature_views");
    private readonly string _events = engine.Table("online_feature_events");

    public async Task<OnlineViewState?> GetStateAsync(string view, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        return await ReadStateAsync(connection, null, view, ct);
    }

    public async Task<IReadOnlyList<OnlineEvent>> EventsAsync(string view, string entity, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection
            .Command($"SELECT ticks, vals FROM {_events} WHERE view_name = @view AND entity = @entity ORDER BY ticks, seq")
            .With("@view", view)
            .With("@entity", entity);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<OnlineEvent>();
        while (await reader.ReadAsync(ct))
        {
            var bytes = (byte[])reader.GetValue(1);
            events.Add(new OnlineEvent(entity, reader.GetInt64(0), MemoryMarshal.Cast<byte, double>(bytes).ToArray()));
        }

        return events;
    }

    public async Task<OnlineViewState?> WriteAsync(OnlineRefresh refresh, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        var view = refresh.State.View;
        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await using (var current = connection.Command($"SELECT generation FROM {_views} WHERE view_name = @view{engine.ForUpdate}", transaction).With("@view", view))
        {
            var generation = await current.ExecuteScalarAsync(ct) is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            if (generation != refresh.ExpectedGeneration)
            {
                return null;
            }
        }

        if (refresh.Full)
        {
            await connection.ExecuteAsync($"DELETE FROM {_events} WHERE view_name = @view", transaction, ct, ("@view", view));
        }

        await AppendAsync(connection, transaction, view, refresh.Events, ct);
        if (refresh.DropAtOrBefore is { } cutoff)
        {
            await connection.ExecuteAsync($"DELETE FROM {_events} WHERE view_name = @view AND ticks <= @cutoff", transaction, ct, ("@view", view), ("@cutoff", cutoff));
        }

        var state = refresh.State with { Generation = refresh.ExpectedGeneration + 1 };
        await connection.ExecuteAsync(
            $"INSERT INTO {_views} (view_name, definition_hash, source_fingerprint, watermark_ticks, refreshed_at, events, entities, generation) " +
            $"SELECT @view, @hash, @fingerprint, CAST(@watermark AS bigint), @refreshed, COUNT(*), COUNT(DISTINCT entity), @generation FROM {_events} WHERE view_name = @view " +
            "ON CONFLICT (view_name) DO UPDATE SET definition_hash = excluded.definition_hash, source_fingerprint = excluded.source_fingerprint, " +
            "watermark_ticks = excluded.watermark_ticks, refreshed_at = excluded.refreshed_at, events = excluded.events, entities = excluded.entities, generation = excluded.generation",
            transaction, ct,
            ("@view", view), ("@hash", state.DefinitionHash), ("@fingerprint", state.SourceFingerprint), ("@watermark", state.Watermark),
            ("@refreshed", engine.TimeValue(state.RefreshedAt)), ("@generation", state.Generation));
        var stored = await ReadStateAsync(connection, transaction, view, ct);
        await transaction.CommitAsync(ct);
        return stored;
    }

    private async Task AppendAsync(DbConnection connection, DbTransaction transaction, string view, IReadOnlyList<OnlineEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var insert = connection.Command($"INSERT INTO {_events} (view_name, entity, ticks, vals) VALUES (@view, @entity, @ticks, @vals)", transaction);
        var parameters = new[] { Parameter(insert, "@view", DbType.String), Parameter(insert, "@entity", DbType.String), Parameter(insert, "@ticks", DbType.Int64), Parameter(insert, "@vals", DbType.Binary) };
        parameters[0].Value = view;
        for (var i = 0; i < events.Count; i++)
        {
            parameters[1].Value = events[i].Entity;
            parameters[2].Value = events[i].Ticks;
            parameters[3].Value = MemoryMarshal.AsBytes(events[i].Values.Span).ToArray();
            if (i == 0)
            {
                await insert.PrepareAsync(ct);
            }

            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private async Task<OnlineViewState?> ReadStateAsync(DbConnection connection, DbTransaction? transaction, string view, CancellationToken ct)
    {
        await using var command = connection.Command(
            $"SELECT definition_hash, source_fingerprint, watermark_ticks, refreshed_at, events, entities, generation FROM {_views} WHERE view_name = @view", transaction)
            .With("@view", view);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new OnlineViewState
        {
            View = view,
            DefinitionHash = reader.GetString(0),
            SourceFingerprint = reader.GetString(1),
            Watermark = reader.IsDBNull(2) ? null : reader.GetInt64(2),
            RefreshedAt = engine.ReadTime(reader, 3),
            Events = reader.GetInt64(4),
            Entities = reader.GetInt64(5),
            Generation = reader.GetInt64(6),
        };
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
