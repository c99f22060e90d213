using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.Storage;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.ContinuousTraining;

/// <summary>
/// <c>pipelines/bike-rentals.yaml</c>, the level-4 pipeline of the repository, run by hand on the embedded default
/// for a few cycles: a full run on a prefix of its data, then several times the next days of rows (made by the
/// project's generator, with a drift), an incremental run and a watch run (monitor, and the retrain it starts).
/// Whatever moved the production alias, the registry is then read and each new production version is scored with the
/// one it replaced on the same held-out rows: it must never be worse beyond the evaluate gate's 5 %, and no model that
/// explains nothing (r_squared &lt;= 0) may ever be production.
/// </summary>
[Category("continuous-training")]
public sealed class BikeRentalsLoopTests
{
    private const string Model = "bike-rentals";
    private const double GateTolerance = 0.05;
    private const int PrefixDays = 54;
    private const int DaysPerCycle = 3;
    private const int Cycles = 6;
    private static readonly DateTime DataStart = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime DriftAt = new(2025, 2, 27, 0, 0, 0, DateTimeKind.Utc);

    private string? _root;

    [TearDown]
    public void RemoveRoot()
    {
        if (_root is not null && Directory.Exists(_root))
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A file is still held; the temp folder is cleaned up by the machine.
            }
        }

        _root = null;
    }

    [Test]
    public async Task FedCycles_FullIncrementalAndWatchRuns_NeverPromoteAWorseOrUselessModel()
    {
        var root = _root = Path.Combine(Path.GetTempPath(), $"mlops-bikes-{Guid.NewGuid():N}");
        var pipeline = Path.Combine(root, "pipelines", "bike-rentals.yaml");
        var data = Path.Combine(root, "samples", "bike-rentals", "data", "bike-rentals.csv");
        var home = Path.Combine(root, "home");
        Directory.CreateDirectory(Path.GetDirectoryName(pipeline)!);
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        // The retrain cooldown is wall time; the test's cycles pass days of data in seconds, so a 1h cooldown would let
        // only the first drift retrain. Everything else is the repository's pipeline as it is.
        var yaml = File.ReadAllText(RepositoryPaths.Combine("pipelines", "bike-rentals.yaml"));
        Assert.That(yaml, Does.Contain("cooldown: 1h"), "pipelines/bike-rentals.yaml still sets the cooldown this test shortens");
        File.WriteAllText(pipeline, yaml.Replace("cooldown: 1h", "cooldown: 1s", StringComparison.Ordinal));
        File.WriteAllLines(data, File.ReadLines(RepositoryPaths.Combine("samples", "bike-rentals", "data", "bike-rentals.csv")).Take(1 + PrefixDays * 24));
        string[] storage = ["--home", home, "--data-root", root];

        var checker = new PromotionChecker(home);
        var log = new StringBuilder();
        var full = await Run(log, ["run", pipeline, "--json", .. storage]);
        Assert.That(full.Succeeded("deploy", "model_version"), Is.EqualTo("1"), $"the full run deploys v1: {full}");
        await checker.CheckNewPromotionsAsync(log);

        var next = DataStart.AddDays(PrefixDays);
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            Append(data, next, cycle);
            next = next.AddDays(DaysPerCycle);
            await Run(log, ["run", pipeline, "--trigger", "every-5-min", "--json", .. storage]);
            await checker.CheckNewPromotionsAsync(log);
            await Run(log, ["run", pipeline, "--trigger", "watch", "--json", .. storage]);
            await checker.CheckNewPromotionsAsync(log);
        }

        TestContext.Out.WriteLine(log.ToString());
        Assert.That(checker.Compared, Is.GreaterThan(1), $"promotions replaced a production version more than once replaced a production version, so the comparison ran:\n{log}");
    }

    /// <summary>The next <see cref="DaysPerCycle"/> days of hourly rows, as <c>mlops sample-data bike-rentals --start</c> makes them.</summary>
    private static void Append(string data, DateTime start, int cycle)
    {
        var generator = SampleGenerators.Find("bike-rentals")!;
        var settings = new SampleSettings { Rows = DaysPerCycle * 24, Start = start, Seed = 100 + cycle, DriftAt = DriftAt };
        File.AppendAllLines(data, generator.Rows(settings));
    }

    private static async Task<RunInfo> Run(StringBuilder log, string[] args)
    {
        var result = await DemoSandbox.MlopsAsync(args);
        var run = RunInfo.Parse(JsonNode.Parse(result.Stdout)!);
        log.AppendLine(CultureInfo.InvariantCulture, $"exit {result.ExitCode}: {run}");
        if (result.Stderr.Length > 0)
        {
            log.AppendLine(result.Stderr.TrimEnd());
        }

        return run;
    }

    /// <summary>Reads the production alias history and scores every move it has not seen yet.</summary>
    private sealed class PromotionChecker(string home)
    {
        private readonly MLContext _ml = new(seed: 1);
        private int _seen;

        public int Compared { get; private set; }

        public async Task CheckNewPromotionsAsync(StringBuilder log)
        {
            await using var storage = await MlOpsStorage.OpenSqliteAsync(home, CancellationToken.None);
            var history = (await storage.Registry.GetAliasHistoryAsync(Model, CancellationToken.None))
                .Where(h => h.Alias == "production")
                .ToList();
            foreach (var change in history.Skip(_seen))
            {
                var promoted = (await storage.Registry.GetAsync(Model, change.Version, CancellationToken.None))!;
                Assert.That(promoted.Metrics.GetValueOrDefault("r_squared"), Is.GreaterThan(0),
                    $"v{promoted.Version} explains something (its recorded r_squared):\n{log}");
                if (change.PreviousVersion is not { } previousVersion)
                {
                    continue;
                }

                var replaced = (await storage.Registry.GetAsync(Model, previousVersion, CancellationToken.None))!;
                Assert.That(promoted.Properties.TryGetValue(ModelProperties.Holdout, out var holdoutPath), Is.True,
                    $"v{promoted.Version} records the holdout of its lineage:\n{log}");
                var holdout = _ml.Data.LoadFromBinary(storage.Artifacts.PathOf(holdoutPath!));
                var (newRmse, newR2) = Score(storage.Artifacts, promoted, holdout);
                var (oldRmse, _) = Score(storage.Artifacts, replaced, holdout);
                log.AppendLine(CultureInfo.InvariantCulture,
                    $"production v{previousVersion} -> v{promoted.Version} ({change.By}): rmse {oldRmse:0.###} -> {newRmse:0.###}, r_squared {newR2:0.###} on v{promoted.Version}'s holdout");
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(newRmse, Is.LessThanOrEqualTo(oldRmse * (1 + GateTolerance) + 1e-9),
                        $"v{promoted.Version} is no worse than v{previousVersion} beyond the gate on the same holdout rows:\n{log}");
                    Assert.That(newR2, Is.GreaterThan(0), $"v{promoted.Version} explains something on the holdout:\n{log}");
                }

                Compared++;
            }

            _seen = history.Count;
        }

        private (double Rmse, double RSquared) Score(IArtifactStore artifacts, ModelVersion version, IDataView rows)
        {
            // Models with datetime features carry a custom mapping that resolves only once its assembly is registered.
            _ml.ComponentCatalog.RegisterAssembly(typeof(ModelScorer).Assembly);
            using var stream = File.OpenRead(artifacts.PathOf(version.ArtifactPath));
            var model = _ml.Model.Load(stream, out _);
            var metrics = _ml.Regression.Evaluate(model.Transform(rows), labelColumnName: "rentals");
            return (metrics.RootMeanSquaredError, metrics.RSquared);
        }
    }
}
