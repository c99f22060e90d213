using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Features;

/// <summary>
/// samples/feature-store as its README tells it: the data files are what the README's generator commands write, and
/// the README's commands, run in order on the embedded default, validate, run both pipelines (the second reusing the
/// view's materialization), list, get and export with the outputs it shows.
/// </summary>
[TestFixture]
public sealed partial class FeatureStoreSampleTests
{
    private static readonly string Sample = RepositoryPaths.Combine("samples", "feature-store");

    private TempFolder _temp = null!;

    [GeneratedRegex("`(mlops sample-data [^`]+)`")]
    private static partial Regex GeneratorCommand();

    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static string Readme => File.ReadAllText(Path.Combine(Sample, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);

    [Test]
    public async Task Data_IsWhatTheReadmesGeneratorCommandsWrite()
    {
        var commands = GeneratorCommand().Matches(Readme).Select(m => m.Groups[1].Value).ToList();
        Assert.That(commands, Has.Count.EqualTo(2));
        foreach (var command in commands)
        {
            var args = Arguments(command);
            var shipped = RepositoryPaths.Combine(args[args.IndexOf("--out") + 1]);
            var written = _temp.Combine(Path.GetFileName(shipped));
            args[args.IndexOf("--out") + 1] = written;

            var result = await CliRun.RunAsync([.. args]);

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(File.ReadAllBytes(written), Is.EqualTo(File.ReadAllBytes(shipped)), $"{shipped} is not what '{command}' writes");
        }
    }

    [Test]
    public async Task ReadmeCommands_RunAsShown()
    {
        var commands = BashBlock().Match(Readme).Groups[1].Value.Split('\n').Where(l => l.StartsWith("mlops ", StringComparison.Ordinal)).ToList();
        var results = new List<CliResult>();
        foreach (var command in commands)
        {
            var args = Arguments(command).Select(a => a.StartsWith("samples/", StringComparison.Ordinal) ? RepositoryPaths.Combine(a) : a).ToList();
            if (args.IndexOf("--out") is var output and >= 0)
            {
                args[output + 1] = _temp.Combine(args[output + 1]);
            }

            args.AddRange(args[0] is "validate" or "plan" ? ["--data-root", RepositoryPaths.Root] : ["--home", _temp.Combine("home"), "--data-root", RepositoryPaths.Root]);
            var result = await CliRun.RunAsync([.. args]);
            Assert.That(result.ExitCode, Is.Zero, $"{command}\n{result}");
            results.Add(result);
        }

        Assert.That(commands.Select(c => Arguments(c)[0]), Is.EqualTo(new[] { "validate", "plan", "run", "run", "features", "features", "features" }));
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Stderr, Does.Contain("2 pipeline file(s) and 1 feature view file(s) valid"));
            Assert.That(results[1].Stdout, Does.Contain("station_activity  features: trips_1h, trips_6h, trips_24h, mean_minutes_7d, last_bikes"));
            Assert.That(results[2].Stdout, Does.Contain("feature_source_rows_read=27000").And.Contain("features: station_activity materialized (27,000 events from 27,000 rows"));
            Assert.That(results[3].Stdout, Does.Contain("feature_source_rows_read=0").And.Contain("features: station_activity reused (27,000 events"));
            Assert.That(results[4].Stdout, Does.Contain("used by: rentals-calendar-and-day (trips_24h, riders_24h, max_minutes_24h); rentals-next-hour"));
            Assert.That(Readme, Does.Contain(results[5].Stdout.TrimEnd('\n')), "the values 'features get' prints are those the README shows");
            Assert.That(File.ReadLines(_temp.Combine("rentals-training-set.csv")).First(), Does.EndWith("station_activity__mean_minutes_7d,station_activity__last_bikes"));
        });
    }

    private static List<string> Arguments(string command) => [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
}
