using System.CommandLine;
using System.Globalization;
using System.Text;
using MlOpsOrchestrator.ML.SampleData;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops feed NAME --out FILE [--every 5s] [--rows N] [--step 1h] [--drift-at ISO] [--ticks K]</c>: a live data
/// source for demos and tests. Every tick it appends <c>--rows</c> rows of a sample generator to FILE, continuing one
/// <c>--step</c> after the newest timestamp already in the file (its last line), so pipelines reading FILE in
/// incremental mode always find new rows.
/// <para>
/// Each tick is written by copying the file to a temporary file beside it, adding the new lines there, flushing it to
/// disk and renaming it over FILE. A reader that opened FILE before the rename keeps reading the old, complete file; one
/// that opens it after sees every new line: nobody ever reads half a line or half a batch, which appending in place
/// cannot promise (a write that spans pages may be seen in part). The price is a copy of the file per tick, nothing at
/// the sizes of a demo. A file whose last line has no line break gets one before the new rows.
/// </para>
/// <para>
/// Deterministic: the rows of a tick come from the generator seeded with <c>--seed</c> and the tick's first
/// timestamp, so the same file and settings always give the same bytes, also after a restart.
/// </para>
/// </summary>
internal static class FeedCommand
{
    /// <summary>On Windows a reader holding FILE open blocks the rename for a moment; try again for this long.</summary>
    private static readonly TimeSpan ReplaceTimeout = TimeSpan.FromSeconds(5);

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = $"the generator, one of: {string.Join(", ", SampleGenerators.All.Select(g => g.Name))}" };
        var output = new Option<string>("--out") { Description = "the CSV file to append to (created with a header when missing)", Required = true };
        var every = new Option<string>("--every") { Description = "time between ticks, e.g. 5s, 1m", DefaultValueFactory = _ => "5s" };
        var rows = new Option<int>("--rows") { Description = "rows appended per tick", DefaultValueFactory = _ => 24 };
        var step = new Option<string>("--step") { Description = "time between rows (of the data, not of the clock), e.g. 1h, 5m", DefaultValueFactory = _ => "1h" };
        var driftAt = new Option<string?>("--drift-at") { Description = "rows from this time on (UTC, ISO 8601) follow the drifted relationship" };
        var ticks = new Option<int?>("--ticks") { Description = "stop after this many ticks (default: until Ctrl+C)" };
        var seed = new Option<int>("--seed") { Description = "random seed, combined with each tick's first timestamp", DefaultValueFactory = _ => 7 };
        var start = new Option<string>("--start")
        {
            Description = "time of the first row when FILE has no rows yet (UTC, ISO 8601)",
            DefaultValueFactory = _ => "2025-01-01T00:00:00Z",
        };
        var command = new Command("feed", "append generated rows to a CSV file every few seconds, continuing from its newest timestamp (a live source for demos)")
        {
            name, output, every, rows, step, driftAt, ticks, seed, start,
        };
        command.SetAction(async (parse, ct) =>
        {
            var generator = SampleGenerators.Find(parse.GetValue(name)!);
            if (generator is null)
            {
                await context.Error.WriteLineAsync($"error: unknown sample '{parse.GetValue(name)}'; valid: {string.Join(", ", SampleGenerators.All.Select(g => g.Name))}");
                return ExitCodes.BadInput;
            }

            var problems = new List<string>();
            var feed = new Feed
            {
                Generator = generator,
                Path = parse.GetValue(output)!,
                Every = CommandLineValues.Duration(parse.GetValue(every)!, "--every", problems, TimeSpan.FromSeconds(1)),
                Rows = parse.GetValue(rows) is > 0 and var n ? n : CommandLineValues.Fail(problems, 0, "--rows must be a positive number"),
                Step = CommandLineValues.Duration(parse.GetValue(step)!, "--step", problems, TimeSpan.FromSeconds(1)),
                DriftAt = parse.GetValue(driftAt) is { } drift ? CommandLineValues.Time(drift, "--drift-at", problems) : null,
                Ticks = parse.GetValue(ticks) is { } k ? (k > 0 ? k : CommandLineValues.Fail(problems, 0, "--ticks must be a positive number")) : null,
                Seed = parse.GetValue(seed),
                Start = CommandLineValues.Time(parse.GetValue(start)!, "--start", problems) ?? default,
            };
            if (problems.Count > 0)
            {
                problems.ForEach(p => context.Error.WriteLine($"error: {p}"));
                return ExitCodes.BadInput;
            }

            return await RunAsync(context, feed, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Feed feed, CancellationToken ct)
    {
        await context.Error.WriteLineAsync(
            $"feeding {feed.Path} with {feed.Rows} rows of {feed.Generator.Name} every {Text(feed.Every)} (one row per {Text(feed.Step)} of data"
            + (feed.DriftAt is { } d ? $", drifted from {Csv(d)}" : "") + (feed.Ticks is { } k ? $", {k} tick(s)" : ", until Ctrl+C") + ")");
        var done = 0;
        try
        {
            while (true)
            {
                var (appended, problem) = await TickAsync(feed, ct);
                if (problem is not null)
                {
                    await context.Error.WriteLineAsync($"error: {problem}");
                    return ExitCodes.BadInput;
                }

                done++;
                await context.Out.WriteLineAsync(appended);
                if (feed.Ticks is { } limit && done >= limit)
                {
                    return ExitCodes.Success;
                }

                await Task.Delay(feed.Every, context.Time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C between ticks (or during one: the rename had not happened, so the file is as it was).
            await context.Error.WriteLineAsync($"stopped after {done} tick(s)");
            return ExitCodes.Success;
        }
    }

    /// <summary>One tick: the file with <see cref="Feed.Rows"/> more rows, replaced atomically; the line to print, or the problem.</summary>
    private static async Task<(string Line, string? Problem)> TickAsync(Feed feed, CancellationToken ct)
    {
        var path = System.IO.Path.GetFullPath(feed.Path);
        var existing = File.Exists(path) ? await ReadSharedAsync(path, ct) : [];
        var text = Encoding.UTF8.GetString(existing);
        var lines = text.Split('\n');
        var header = lines[0].TrimEnd('\r');
        if (existing.Length > 0 && header.TrimStart('\uFEFF') != feed.Generator.Header)
        {
            return ("", $"{feed.Path} starts with '{header}', not the header of {feed.Generator.Name} ('{feed.Generator.Header}'); feed another file or another generator");
        }

        DateTime first;
        var last = lines.Skip(1).LastOrDefault(l => l.Trim().Length > 0);
        if (last is null)
        {
            first = feed.Start;
        }
        else if (NewestTime(last) is { } newest)
        {
            first = newest + feed.Step;
        }
        else
        {
            return ("", $"the last line of {feed.Path} does not start with a timestamp: '{last.TrimEnd('\r')}'");
        }

        var newline = lines[0].EndsWith('\r') ? "\r\n" : "\n";
        var batch = new StringBuilder();
        if (existing.Length == 0)
        {
            batch.Append(feed.Generator.Header).Append(newline);
        }
        else if (existing[^1] != (byte)'\n')
        {
            // The file's last line has no line break (an editor or another tool wrote it): end it before appending.
            batch.Append(newline);
        }

        var settings = new SampleSettings
        {
            Rows = feed.Rows,
            Seed = TickSeed(feed.Seed, first),
            Start = first,
            Step = feed.Step,
            DriftAt = feed.DriftAt,
        };
        foreach (var row in feed.Generator.Rows(settings))
        {
            batch.Append(row).Append(newline);
        }

        await ReplaceAsync(path, existing, Encoding.UTF8.GetBytes(batch.ToString()), ct);
        var lastTime = first + (feed.Step * (feed.Rows - 1));
        var drifted = feed.DriftAt is { } drift && lastTime >= drift
            ? first >= drift ? " (drifted)" : $" (drifted from {Csv(drift)})"
            : "";
        return ($"appended {feed.Rows} rows {Csv(first)} .. {Csv(lastTime)}{drifted} to {feed.Path}", null);
    }

    /// <summary>The first field of a data line as a UTC time (every generator writes its timestamp first).</summary>
    private static DateTime? NewestTime(string line)
    {
        var field = line.Split(',', 2)[0].Trim().Trim('"');
        return DateTime.TryParse(field, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }

    /// <summary>A seed per tick, from the base seed and the tick's first timestamp (not from the tick count, which restarts with the process).</summary>
    private static int TickSeed(int seed, DateTime first)
    {
        var seconds = first.Ticks / TimeSpan.TicksPerSecond;
        return unchecked((int)(seconds ^ (seconds >> 32)) ^ (seed * 16_777_619));
    }

    private static async Task<byte[]> ReadSharedAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, ct);
        return memory.ToArray();
    }

    /// <summary>Writes <paramref name="existing"/> + <paramref name="appended"/> beside <paramref name="path"/>, flushes it to disk, renames it over the file.</summary>
    private static async Task ReplaceAsync(string path, byte[] existing, byte[] appended, CancellationToken ct)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await stream.WriteAsync(existing, ct);
                await stream.WriteAsync(appended, ct);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }

            var deadline = DateTime.UtcNow + ReplaceTimeout;
            while (true)
            {
                try
                {
                    File.Move(temporary, path, overwrite: true);
                    return;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50, ct);
                }
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }




    private static string Csv(DateTime time) => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Text(TimeSpan span) => span.Ticks switch
    {
        var t when t % TimeSpan.TicksPerDay == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerDay}d"),
        var t when t % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerHour}h"),
        var t when t % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{t / TimeSpan.TicksPerMinute}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###}s"),
    };

    private sealed record Feed
    {
        public required ISampleGenerator Generator { get; init; }
        public required string Path { get; init; }
        public required TimeSpan Every { get; init; }
        public required int Rows { get; init; }
        public required TimeSpan Step { get; init; }
        public required DateTime? DriftAt { get; init; }
        public required int? Ticks { get; init; }
        public required int Seed { get; init; }
        public required DateTime Start { get; init; }
    }
}
