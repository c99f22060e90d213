using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// Materializes a feature view into the online store, incrementally from its watermark: only source rows with an event
/// time after the watermark become events (a query source selects them with <c>@watermark</c>; a file is scanned and
/// older rows skipped untyped), they are appended, and events no window or ttl can use any more are dropped. A view
/// whose definition changed, that has no timestamp, or that is asked <c>full</c>, is rebuilt whole. Values are typed
/// by the same code as the offline event log.
/// </summary>
public sealed class OnlineMaterializer(IOnlineFeatureStore store, SourceReaders sources, TimeProvider time)
{
    private const int ProgressEvery = 1_000_000;

    public async Task<(OnlineMaterialization? Result, string? Problem)> MaterializeAsync(FeatureViewSpec view, bool full, Action<string> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(progress);
        var state = await store.GetStateAsync(view.Name, ct);
        var reason = full ? "full rebuild asked"
            : state is null ? "first materialization"
            : state.DefinitionHash != view.Hash ? "the view's definition changed: full rebuild"
            : view.Timestamp is null ? "the view has no timestamp: full rebuild"
            : null;
        var rebuild = reason is not null;
        var watermark = rebuild ? null : state!.Watermark;
        var fingerprint = Fingerprint(view.Source);
        var now = time.GetUtcNow().UtcTicks;
        var cutoff = OnlineHorizon.Ticks(view) is { } horizon ? now - horizon : (long?)null;

        var (opened, openProblem) = await sources.OpenAsync(new SourceRequest
        {
            Source = view.Source,
            Watermark = watermark is { } w ? new DateTimeOffset(w, TimeSpan.Zero) : null,
            Progress = progress,
        }, ct);
        if (opened is null)
        {
            return (null, $"feature view '{view.Name}': {openProblem}");
        }

        using var source = opened;
        var (columns, missing) = RecordColumns.Locate(source.Columns, view.Entity, view.Timestamp, $"feature view '{view.Name}': {source.DisplayName}");
        var slots = ViewAggregator.SlotsOf(view);
        var (slotIndex, absent) = EventTyper.Locate(slots, source.Columns, view.Name, source.DisplayName);
        if (columns is null || slotIndex is null)
        {
            return (null, missing ?? absent);
        }

        var ids = new Dictionary<string, double>(StringComparer.Ordinal);
        var typer = new EventTyper(slots, slotIndex, word => ids.TryGetValue(word, out var id) ? id : ids[word] = StableId(word));
        var events = new List<OnlineEvent>();
        long rows = 0, skipped = 0, newest = watermark ?? long.MinValue;
        var anyEvent = watermark is not null;
        using (var cursor = source.OpenRecords())
        {
            while (cursor.Read())
            {
                ct.ThrowIfCancellationRequested();
                if (++rows % ProgressEvery == 0)
                {
                    progress(string.Create(CultureInfo.InvariantCulture, $"feature view {view.Name}: {rows:N0} source rows read"));
                }

                var record = cursor.Record;
                if (!columns.TryKey(record, out var entity) || columns.Ticks(record) is not { } ticks)
                {
                    skipped++;
                    continue;
                }

                if (ticks <= watermark)
                {
                    continue;
                }

                var values = new double[slots.Count];
                if (typer.Read(record, values) is { } bad)
                {
                    return (null, string.Create(CultureInfo.InvariantCulture,
                        $"feature view '{view.Name}': {source.DisplayName}: row {rows}{(source.HasLines ? $" (line {record.Line})" : "")}: column '{bad.Column}' holds '{bad.Text}', not a number"));
                }

                (newest, anyEvent) = (Math.Max(newest, ticks), true);
                if (ticks > cutoff || cutoff is null)
                {
                    events.Add(new OnlineEvent(entity.ToString(), ticks, values));
                }
            }
        }

        var written = await store.WriteAsync(new OnlineRefresh
        {
            State = new OnlineViewState
            {
                View = view.Name,
                DefinitionHash = view.Hash,
                SourceFingerprint = fingerprint,
                Watermark = anyEvent ? newest : null,
                RefreshedAt = time.GetUtcNow(),
            },
            ExpectedGeneration = state?.Generation ?? 0,
            Full = rebuild,
            Events = events,
            DropAtOrBefore = cutoff,
        }, ct);
        return written is null
            ? (null, $"feature view '{view.Name}': another materialization was written while this one ran; run it again")
            : (new OnlineMaterialization(view.Name, rebuild, reason ?? $"incremental from the watermark", rows, events.Count, skipped, written), null);
    }

    /// <summary>What the source was: a file's path, size and modification time; for a query, the query.</summary>
    private static string Fingerprint(SourceSpec source)
    {
        if (source is { Type: SourceType.Csv, Path: { } path } && File.Exists(path))
        {
            var file = new FileInfo(path);
            return string.Create(CultureInfo.InvariantCulture, $"csv|{file.FullName}|{file.Length}|{file.LastWriteTimeUtc:O}");
        }

        return $"{source.Type}|{source.Query ?? source.Path}";
    }

    /// <summary>
    /// A <c>distinct_count</c> value's identity that stays the same across refreshes (events appended later must count
    /// a value seen earlier as the same): 48 bits of its SHA-256, exact as a double.
    /// </summary>
    private static double StableId(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return hash[0] | ((long)hash[1] << 8) | ((long)hash[2] << 16) | ((long)hash[3] << 24) | ((long)hash[4] << 32) | ((long)hash[5] << 40);
    }
}
