using System.Globalization;
using System.Text;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// Joins a pipeline's label rows (<c>data.source</c>) with the features it names, as of each row's
/// <c>data.timestamp</c>, into a CSV file that data_prep then reads like any source. Per view: the event log
/// (materialized or reused), the label rows sorted by (entity, time) in bounded memory, one streaming merge. The
/// feature values of all rows are held as numbers (8 bytes per row and feature) until the file is written in the
/// rows' own order.
/// </summary>
internal sealed class TrainingSetBuilder(SourceReaders sources, EventLogStore logs, int chunk = 1 << 20)
{
    /// <summary>Builds the training set; with <paramref name="asOf"/>, only the rows at or before it (the training set a run then had).</summary>
    public async Task<(TrainingSet? Set, string? Problem)> BuildAsync(DataSpec data, Action<string> progress, CancellationToken ct, DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var eventLogs = new List<EventLog>();
        var notes = new List<string>();
        foreach (var view in data.FeatureViews)
        {
            var (log, problem) = await logs.GetAsync(view, progress, ct);
            if (log is null)
            {
                return (null, problem);
            }

            eventLogs.Add(log);
            notes.Add(log.Reused
                ? string.Create(CultureInfo.InvariantCulture, $"feature view {view.Name}: reused materialization {log.Key[..12]} ({log.Events:N0} events, {log.RowsRead:N0} source rows read)")
                : string.Create(CultureInfo.InvariantCulture, $"feature view {view.Name}: materialized {log.Key[..12]} ({log.Events:N0} events from {log.RowsRead:N0} source rows)"));
        }

        var (opened, openProblem) = await sources.OpenAsync(new SourceRequest { Source = data.Source, Progress = progress }, ct);
        if (opened is null)
        {
            return (null, openProblem);
        }

        using var labels = opened;
        if (data.Timestamp is null || !labels.Columns.Contains(data.Timestamp))
        {
            return (null, $"{labels.DisplayName} has no timestamp column '{data.Timestamp}' to join features as of");
        }

        var groups = data.Features.GroupBy(f => f.View).Select(g => (Log: eventLogs.First(l => l.View.Name == g.Key), Refs: g.ToList())).ToList();
        var width = data.Features.Count;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (rows, kept, sorters, problem2) = SortLabels(labels, data.Timestamp, groups.Select(g => g.Log).ToList(), asOf?.UtcTicks, ct);
        if (sorters is null)
        {
            return (null, problem2);
        }

        try
        {
            var output = new double[checked(rows * width)];
            Array.Fill(output, double.NaN);
            var offset = 0;
            var labelSeconds = clock.Elapsed.TotalSeconds;
            for (var g = 0; g < groups.Count; g++)
            {
                var aggregator = new ViewAggregator(groups[g].Log.View, [.. groups[g].Refs.Select(r => r.Feature)]);
                using var sortedLabels = sorters[g].Read();
                using var events = groups[g].Log.Open();
                PointInTimeJoin.Run(sortedLabels, events, aggregator, output, width, offset);
                offset += aggregator.Width;
            }

            var joinSeconds = clock.Elapsed.TotalSeconds - labelSeconds;
            var columns = groups.SelectMany(g => g.Refs.Select(r => r.Column)).ToList();
            // Named as the label source, so data_prep's messages name the file the rows came from.
            var folder = Directory.CreateTempSubdirectory("mlops-training-").FullName;
            var path = System.IO.Path.Combine(folder, data.Source.Path is { } labelFile ? System.IO.Path.GetFileName(labelFile) : "training-set.csv");
            Write(labels, path, columns, output, width, kept, ct);
            progress(string.Create(CultureInfo.InvariantCulture, $"features joined as of each row's time: {kept.Count(k => k):N0} rows × {width} features (label rows read {labelSeconds:0.00} s, join {joinSeconds:0.00} s, written {clock.Elapsed.TotalSeconds - labelSeconds - joinSeconds:0.00} s)"));
            return (new TrainingSet(path, notes, eventLogs), null);
        }
        finally
        {
            foreach (var sorter in sorters)
            {
                sorter.Dispose();
            }
        }
    }

    /// <summary>One pass over the label rows: per view, (entity id, time, row number) into a spill sorter.</summary>
    private (int Rows, bool[] Kept, SpillSorter[]? Sorters, string? Problem) SortLabels(IRecordSource labels, string timestamp, List<EventLog> logs, long? asOf, CancellationToken ct)
    {
        var readers = new RecordColumns[logs.Count];
        for (var i = 0; i < logs.Count; i++)
        {
            var (columns, problem) = RecordColumns.Locate(labels.Columns, logs[i].View.Entity, timestamp, labels.DisplayName);
            if (columns is null)
            {
                return (0, [], null, $"{problem}, which feature view '{logs[i].View.Name}' needs");
            }

            readers[i] = columns;
        }

        var sorters = logs.Select(_ => new SpillSorter(1, chunk)).ToArray();
        var kept = new List<bool>();
        var row = 0;
        var timeColumn = RecordColumns.Locate(labels.Columns, [], timestamp, labels.DisplayName).Columns!;
        Span<double> value = stackalloc double[1];
        using var cursor = labels.OpenRecords();
        while (cursor.Read())
        {
            ct.ThrowIfCancellationRequested();
            var keep = asOf is not { } cap || timeColumn.Ticks(cursor.Record) is not { } at || at <= cap;
            kept.Add(keep);
            for (var i = 0; i < logs.Count && keep; i++)
            {
                if (readers[i].TryKey(cursor.Record, out var key) && readers[i].Ticks(cursor.Record) is { } ticks)
                {
                    value[0] = row;
                    sorters[i].Add(logs[i].Entities.Find(key) ?? -1, ticks, value);
                }
            }

            row++;
        }

        return (row, [.. kept], sorters, null);
    }

    private static void Write(IRecordSource labels, string path, List<string> features, double[] output, int width, bool[] kept, CancellationToken ct)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        var line = new StringBuilder();
        foreach (var name in labels.Columns.Concat(features))
        {
            Field(line, name.AsSpan());
        }

        writer.WriteLine(line.ToString(0, line.Length - 1));
        Span<char> number = stackalloc char[32];
        var row = 0;
        using var cursor = labels.OpenRecords();
        while (cursor.Read())
        {
            ct.ThrowIfCancellationRequested();
            if (!kept[row])
            {
                row++;
                continue;
            }

            line.Clear();
            var record = cursor.Record;
            for (var i = 0; i < labels.Columns.Count; i++)
            {
                Field(line, i < record.FieldCount ? record[i] : []);
            }

            for (var f = 0; f < width; f++)
            {
                var value = output[(row * width) + f];
                if (!double.IsNaN(value) && value.TryFormat(number, out var written, "R", CultureInfo.InvariantCulture))
                {
                    line.Append(number[..written]);
                }

                line.Append(',');
            }

            writer.WriteLine(line.ToString(0, line.Length - 1));
            row++;
        }
    }

    private static void Field(StringBuilder line, ReadOnlySpan<char> value)
    {
        if (value.IndexOfAny(",\"\r\n") >= 0)
        {
            line.Append('"');
            foreach (var c in value)
            {
                line.Append(c == '"' ? "\"\"" : c.ToString());
            }

            line.Append('"');
        }
        else
        {
            line.Append(value);
        }

        line.Append(',');
    }
}
