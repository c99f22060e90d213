using System.Globalization;
using System.Text;
using MlOpsOrchestrator.Cli;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.ContinuousTraining;

/// <summary><c>mlops feed</c>: the live source of the continuous-training demo, in this process, on temp files.</summary>
[Category("continuous-training")]
public sealed class FeedCommandTests
{
    private const string Header = "ts,season,hour,weekday,holiday,weather,temp,humidity,windspeed,note,rentals";

    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"mlops-feed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Feed_NoFile_WritesHeaderAndRowsFromStart()
    {
        var file = Path.Combine(_folder, "data", "bikes.csv");

        var result = await Feed(file, "--rows", "5", "--start", "2025-02-13T00:00:00Z");

        var lines = File.ReadAllLines(file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(result.Stdout, Does.Contain("appended 5 rows 2025-02-13 00:00 .. 2025-02-13 04:00"));
            Assert.That(lines[0], Is.EqualTo(Header));
            Assert.That(Times(file), Is.EqualTo(Hours("2025-02-13T00:00:00Z", 5)));
            Assert.That(lines.Skip(1).All(l => l.Split(',').Length == 11), Is.True, string.Join("\n", lines));
        }
    }

    [Test]
    public async Task Feed_TwoTicks_ContinueOneStepAfterTheNewestTimestamp()
    {
        var file = Path.Combine(_folder, "bikes.csv");
        var sample = await DemoSandbox.MlopsAsync("sample-data", "bike-rentals", "--out", file, "--rows", "3", "--start", "2025-02-13T00:00:00Z");
        Assert.That(sample.ExitCode, Is.EqualTo(0), sample.ToString());

        var result = await Feed(file, "--rows", "4", "--ticks", "2", "--every", "1s");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(Times(file), Is.EqualTo(Hours("2025-02-13T00:00:00Z", 11)), "3 rows, then two ticks of 4, one hour apart throughout");
            Assert.That(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2), "one line per tick");
        }
    }

    [Test]
    public async Task Feed_LastLineWithoutLineBreak_EndsItBeforeAppending()
    {
        var file = Path.Combine(_folder, "bikes.csv");
        var last = "2025-02-13 05:00:00,winter,5,thu,false,clear,-1.5,0.6,7.5,,3";
        await File.WriteAllTextAsync(file, $"{Header}\n{last}");

        var result = await Feed(file, "--rows", "2");

        var lines = File.ReadAllLines(file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(lines[1], Is.EqualTo(last), "the unterminated line is kept whole");
            Assert.That(Times(file), Is.EqualTo(Hours("2025-02-13T05:00:00Z", 3)));
            Assert.That(File.ReadAllText(file), Does.EndWith("\n"));
        }
    }

    [Test]
    public async Task Feed_CrLfFile_AppendsCrLfLines()
    {
        var file = Path.Combine(_folder, "bikes.csv");
        await File.WriteAllTextAsync(file, $"{Header}\r\n2025-02-13 05:00:00,winter,5,thu,false,clear,-1.5,0.6,7.5,,3\r\n");

        var result = await Feed(file, "--rows", "2");

        var text = File.ReadAllText(file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(4));
            Assert.That(text.Replace("\r\n", "", StringComparison.Ordinal), Does.Not.Contain('\n'), "no bare line feed");
        }
    }

    [Test]
    public async Task Feed_SameFileAndSettings_SameBytesWhetherInOneProcessOrTwo()
    {
        var once = Path.Combine(_folder, "once.csv");
        var twice = Path.Combine(_folder, "twice.csv");

        await Feed(once, "--rows", "24", "--ticks", "2", "--every", "1s");
        await Feed(twice, "--rows", "24");
        await Feed(twice, "--rows", "24");

        Assert.That(await File.ReadAllBytesAsync(twice), Is.EqualTo(await File.ReadAllBytesAsync(once)),
            "each tick's seed comes from its first timestamp, so a restarted feeder continues exactly as one that kept running");
    }

    [Test]
    public async Task Feed_DriftAt_ChangesOnlyTheRowsFromThenOn()
    {
        var normal = Path.Combine(_folder, "normal.csv");
        var drifted = Path.Combine(_folder, "drifted.csv");

        await Feed(normal, "--rows", "48", "--start", "2025-03-01T00:00:00Z");
        var result = await Feed(drifted, "--rows", "48", "--start", "2025-03-01T00:00:00Z", "--drift-at", "2025-03-02T00:00:00Z");

        var before = File.ReadAllLines(normal);
        var after = File.ReadAllLines(drifted);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Stdout, Does.Contain("(drifted from 2025-03-02 00:00)"));
            Assert.That(after.Take(25), Is.EqualTo(before.Take(25)), "the header and the rows before the drift point are the same");
            Assert.That(after.Skip(25), Is.Not.EqualTo(before.Skip(25)), "rows from the drift point on follow the drifted relationship");
            Assert.That(after.Skip(25).Select(l => l[..19]), Is.EqualTo(before.Skip(25).Select(l => l[..19])), "at the same times");
        }
    }

    [Test]
    public async Task Feed_HeaderOfAnotherDataset_IsBadInputAndLeavesTheFile()
    {
        var file = Path.Combine(_folder, "customers.csv");
        var sample = await DemoSandbox.MlopsAsync("sample-data", "customer-churn", "--out", file, "--rows", "3");
        Assert.That(sample.ExitCode, Is.EqualTo(0), sample.ToString());
        var content = await File.ReadAllBytesAsync(file);

        var result = await Feed(file, "--rows", "2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr, Does.Contain("not the header of bike-rentals"));
            Assert.That(await File.ReadAllBytesAsync(file), Is.EqualTo(content));
        }
    }

    [Test]
    public async Task Feed_BadOptions_AreAllReported()
    {
        var result = await Feed(Path.Combine(_folder, "x.csv"), "--rows", "0", "--every", "5 seconds", "--drift-at", "soon", "--ticks", "0");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr, Does.Contain("--rows").And.Contain("--every").And.Contain("--drift-at").And.Contain("--ticks"));
            Assert.That(File.Exists(Path.Combine(_folder, "x.csv")), Is.False);
        }
    }

    [Test]
    public async Task Feed_CancelledAfterATick_StopsWithSuccess()
    {
        var file = Path.Combine(_folder, "bikes.csv");
        using var stop = new CancellationTokenSource();
        using var stdout = new CancelOnWrite(stop);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);

        var exit = await MlOpsCli.RunAsync(["feed", "bike-rentals", "--out", file, "--rows", "3", "--every", "1m"], stdout, stderr, stop.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(0), stderr.ToString());
            Assert.That(stderr.ToString(), Does.Contain("stopped after 1 tick(s)"));
            Assert.That(Times(file), Has.Count.EqualTo(3));
        }
    }

    /// <summary>A reader polling the file while ticks land never sees a partial line or a partial tick.</summary>
    [Test]
    public async Task Feed_ConcurrentReader_SeesWholeTicksOnly()
    {
        var file = Path.Combine(_folder, "bikes.csv");
        await Feed(file, "--rows", "24");
        using var done = new CancellationTokenSource();
        var problems = new List<string>();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                string text;
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var streamReader = new StreamReader(stream, Encoding.UTF8))
                {
                    text = streamReader.ReadToEnd();
                }

                reads++;
                var rows = text.Split('\n')[1..^1];
                if (!text.EndsWith('\n') || rows.Length % 24 != 0 || rows.Any(r => r.Split(',').Length != 11))
                {
                    problems.Add($"read {rows.Length} rows, ending '{text[^Math.Min(40, text.Length)..]}'");
                }
            }
        });

        for (var i = 0; i < 60; i++)
        {
            var result = await Feed(file, "--rows", "24");
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        }

        await done.CancelAsync();
        await reader;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Is.Empty);
            Assert.That(reads, Is.GreaterThan(10), "the reader read while the ticks landed");
            Assert.That(Times(file), Has.Count.EqualTo(61 * 24));
        }
    }

    /// <summary><c>mlops feed bike-rentals --out FILE OPTIONS</c>, one tick unless the options say how many.</summary>
    private static Task<CliResult> Feed(string file, params string[] options) =>
        DemoSandbox.MlopsAsync(["feed", "bike-rentals", "--out", file, .. options, .. options.Contains("--ticks") ? Array.Empty<string>() : ["--ticks", "1"]]);

    private static List<DateTime> Times(string file) => File.ReadLines(file).Skip(1)
        .Select(l => DateTime.ParseExact(l[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))
        .ToList();

    private static List<DateTime> Hours(string start, int count)
    {
        var first = DateTime.Parse(start, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        return Enumerable.Range(0, count).Select(i => first.AddHours(i)).ToList();
    }

    /// <summary>Standard output that presses Ctrl+C as soon as the first tick is reported.</summary>
    private sealed class CancelOnWrite(CancellationTokenSource stop) : StringWriter(CultureInfo.InvariantCulture)
    {
        public override async Task WriteLineAsync(string? value)
        {
            await base.WriteLineAsync(value);
            await stop.CancelAsync();
        }
    }
}
