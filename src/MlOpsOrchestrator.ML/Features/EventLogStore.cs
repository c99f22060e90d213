using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// Materializes feature views into <see cref="EventLog"/>s in the artifact store under
/// <c>features/VIEW/KEY/</c>, KEY being a hash of the view's definition and of its source data, and hands out the
/// existing one when the key is already there. A csv source is recognised by its path, size and modification time
/// without reading a row; another source (a query) is read once to hash its rows.
/// </summary>
internal sealed class EventLogStore(IArtifactStore artifacts, SourceReaders sources, int chunk = 1 << 20)
{
    private const int MaxProblems = 10;

    public async Task<(EventLog? Log, string? Problem)> GetAsync(FeatureViewSpec view, Action<string> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (opened, problem) = await sources.OpenAsync(new SourceRequest { Source = view.Source, Progress = progress }, ct);
        if (opened is null)
        {
            return (null, $"feature view '{view.Name}': {problem}");
        }

        using var source = opened;
        var (fingerprint, fingerprintRows) = Fingerprint(view.Source, source, ct);
        var key = Key(view, fingerprint);
        var folder = $"features/{view.Name}/{key}";
        if (artifacts.Exists($"{folder}/info.json"))
        {
            var reused = await ReadAsync(view, key, folder, ct);
            return (new EventLog(view, key, artifacts.PathOf($"{folder}/events.bin"), reused.ToEntityIds(), reused.Events) { Reused = true, RowsRead = fingerprintRows, Skipped = reused.Skipped }, null);
        }

        return await MaterializeAsync(view, key, folder, source, progress, ct);
    }

    /// <summary>The key the view's events have now, when it is known without reading the source (a csv file); else null.</summary>
    public static string? CurrentKey(FeatureViewSpec view) =>
        view.Source is { Type: SourceType.Csv, Path: { } path } && File.Exists(path) ? Key(view, CsvFingerprint(view.Source, path)) : null;

    /// <summary>The events counted in a materialization's <c>info.json</c>.</summary>
    public static long EventsOf(string infoFile)
    {
        using var stream = File.OpenRead(infoFile);
        return JsonSerializer.Deserialize<Info>(stream)?.Events ?? 0;
    }

    private static string Key(FeatureViewSpec view, string fingerprint) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{view.Hash}|{fingerprint}")))[..32];

    private static string CsvFingerprint(SourceSpec spec, string path)
    {
        var file = new FileInfo(path);
        return string.Create(CultureInfo.InvariantCulture, $"csv|{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}|{spec.Separator}|{spec.Header}|{spec.Encoding}");
    }

    private async Task<(EventLog? Log, string? Problem)> MaterializeAsync(FeatureViewSpec view, string key, string folder, IRecordSource source, Action<string> progress, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (columns, missing) = RecordColumns.Locate(source.Columns, view.Entity, view.Timestamp, $"feature view '{view.Name}': {source.DisplayName}");
        if (columns is null)
        {
            return (null, missing);
        }

        var slots = ViewAggregator.SlotsOf(view);
        var (slotIndex, absent) = EventTyper.Locate(slots, source.Columns, view.Name, source.DisplayName);
        if (slotIndex is null)
        {
            return (null, absent);
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var typer = new EventTyper(slots, slotIndex, word => ids.TryGetValue(word, out var id) ? id : ids[word] = ids.Count);
        var entities = new EntityIds();
        var problems = new List<string>();
        var values = new double[slots.Count];
        long rows = 0, skipped = 0;
        using var sorter = new SpillSorter(slots.Count, chunk);
        using (var cursor = source.OpenRecords())
        {
            while (cursor.Read())
            {
                ct.ThrowIfCancellationRequested();
                rows++;
                var record = cursor.Record;
                if (!columns.TryKey(record, out var entity) || columns.Ticks(record) is not { } ticks)
                {
                    skipped++;
                    continue;
                }

                if (typer.Read(record, values) is { } bad && problems.Count < MaxProblems)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"row {rows}{(source.HasLines ? $" (line {record.Line})" : "")}: column '{bad.Column}' holds '{bad.Text}', not a number"));
                }

                sorter.Add(entities.Id(entity), ticks, values);
            }
        }

        if (problems.Count > 0)
        {
            return (null, $"feature view '{view.Name}': {source.DisplayName}: {string.Join("; ", problems)}");
        }

        var readSeconds = clock.Elapsed.TotalSeconds;
        var temp = Path.Combine(Path.GetTempPath(), $"mlops-events-{Guid.NewGuid():N}.bin");
        try
        {
            using (var sorted = sorter.Read())
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            await using (var writer = new BinaryWriter(stream))
            {
                while (sorted.Next())
                {
                    SpillSorter.WriteRecord(writer, sorted.Entity, sorted.Ticks, sorted.Values);
                }
            }

            await artifacts.ImportAsync($"{folder}/events.bin", temp, ct);
        }
        finally
        {
            File.Delete(temp);
        }

        progress(string.Create(CultureInfo.InvariantCulture, $"feature view {view.Name}: {rows:N0} source rows read and typed in {readSeconds:0.00} s, sorted ({sorter.Spills} spilled chunks) and stored in {clock.Elapsed.TotalSeconds - readSeconds:0.00} s"));
        var info = new Info(entities.Keys, sorter.Count, skipped, rows);
        await artifacts.WriteAsync($"{folder}/info.json", (s, t) => JsonSerializer.SerializeAsync(s, info, cancellationToken: t), ct);
        return (new EventLog(view, key, artifacts.PathOf($"{folder}/events.bin"), entities, sorter.Count) { RowsRead = rows, Skipped = skipped }, null);
    }

    private async Task<Info> ReadAsync(FeatureViewSpec view, string key, string folder, CancellationToken ct)
    {
        await using var stream = File.OpenRead(artifacts.PathOf($"{folder}/info.json"));
        var info = await JsonSerializer.DeserializeAsync<Info>(stream, cancellationToken: ct)
            ?? throw new InvalidDataException($"The materialization {key} of feature view '{view.Name}' has an empty info.json.");
        return info;
    }

    /// <summary>What identifies the source's data, and how many rows were read to find out.</summary>
    private static (string Fingerprint, long Rows) Fingerprint(SourceSpec spec, IRecordSource source, CancellationToken ct)
    {
        if (spec is { Type: SourceType.Csv, Path: { } path })
        {
            return (CsvFingerprint(spec, path), 0);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', source.Columns)));
        long rows = 0;
        using var cursor = source.OpenRecords();
        var buffer = new byte[4096];
        while (cursor.Read())
        {
            ct.ThrowIfCancellationRequested();
            rows++;
            for (var i = 0; i < cursor.Record.FieldCount; i++)
            {
                var field = cursor.Record[i];
                var bytes = Encoding.UTF8.GetMaxByteCount(field.Length) <= buffer.Length ? buffer : new byte[Encoding.UTF8.GetMaxByteCount(field.Length)];
                hash.AppendData(bytes, 0, Encoding.UTF8.GetBytes(field, bytes));
                hash.AppendData("\u001f"u8);
            }

            hash.AppendData("\n"u8);
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), rows);
    }

    /// <summary>What a materialization keeps beside its events: the entity keys by id and the counts.</summary>
    private sealed record Info(IReadOnlyList<string> Entities, long Events, long Skipped, long Rows)
    {
        public EntityIds ToEntityIds() => new(Entities);
    }
}
