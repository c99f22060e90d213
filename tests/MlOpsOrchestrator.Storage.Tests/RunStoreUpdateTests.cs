using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class RunStoreUpdateTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task CommitAsync_Run_EveryMutableField_RoundTrips()
    {
        var run = Sample.Run(Sample.Name("taxi"));
        await Stores.Runs.CreateAsync(run, [], CancellationToken.None);
        var finished = run with
        {
            Status = RunStatus.Failed,
            StartedAt = Sample.T0.AddSeconds(1),
            FinishedAt = Sample.T0.AddMicroseconds(93_000_001),
            Error = "step 'train': column 'fare' is missing\nsecond line with 'quotes' and ünïcödé",
            Model = new ModelRef("taxi-fare", 7),
            Owner = "worker-2:4711",
            HeartbeatAt = Sample.T0.AddSeconds(90),
        };

        await Stores.RunExecution.CommitAsync(null, [], finished, CancellationToken.None);

        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), finished);
    }

    [Test]
    public async Task CommitAsync_Run_FieldsClearedAgain_ReadBackAsNull()
    {
        var run = Sample.Run(Sample.Name("taxi")) with
        {
            StartedAt = Sample.T0, Error = "boom", Model = new ModelRef("m", 1), Owner = "a:1", HeartbeatAt = Sample.T0,
        };
        await Stores.Runs.CreateAsync(run, [], CancellationToken.None);
        var cleared = run with { StartedAt = null, Error = null, Model = null, Owner = null, HeartbeatAt = null };

        await Stores.RunExecution.CommitAsync("a:1", [], cleared, CancellationToken.None);

        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), cleared);
    }

    [Test]
    public async Task CommitAsync_Run_ImmutableFieldsChanged_KeepsTheLaunchValues()
    {
        var run = Sample.Run(Sample.Name("taxi"));
        await Stores.Runs.CreateAsync(run, [], CancellationToken.None);

        await Stores.RunExecution.CommitAsync(null, [], run with { PipelineYaml = "edited", Level = 4, Status = RunStatus.Running }, CancellationToken.None);

        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), run with { Status = RunStatus.Running });
    }

    [Test]
    public async Task CommitAsync_Run_UnknownRun_ThrowsKeyNotFound()
    {
        var run = Sample.Run(Sample.Name("taxi"));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Stores.RunExecution.CommitAsync(null, [], run, CancellationToken.None));
    }

    [Test]
    public async Task CreateAsync_NullSubsetAndEmptySubsetAndEmptyDictionaries_KeepTheirDifference()
    {
        var all = Sample.Run(Sample.Name("taxi")) with { StepSubset = null, LevelReasons = [], Parameters = new Dictionary<string, string>() };
        var none = Sample.Run(all.Pipeline) with { StepSubset = [] };
        await Stores.Runs.CreateAsync(all, [], CancellationToken.None);
        await Stores.Runs.CreateAsync(none, [], CancellationToken.None);

        var readAll = await Stores.Runs.GetAsync(all.RunId, CancellationToken.None);
        var readNone = await Stores.Runs.GetAsync(none.RunId, CancellationToken.None);

        RecordAssert.SameRun(readAll, all);
        RecordAssert.SameRun(readNone, none);
        Assert.That(readAll!.StepSubset, Is.Null);
        Assert.That(readNone!.StepSubset, Is.Not.Null.And.Empty);
    }

    [Test]
    public async Task CreateAsync_TimeWithOffset_ReadsBackAsTheSameInstantInUtc()
    {
        var local = new DateTimeOffset(2026, 3, 14, 11, 26, 53, 589, 793, TimeSpan.FromHours(2));
        var run = Sample.Run(Sample.Name("taxi"), local);
        await Stores.Runs.CreateAsync(run, [], CancellationToken.None);

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);

        Assert.That(read!.CreatedAt, Is.EqualTo(local));
        Assert.That(read.CreatedAt.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task CommitAsync_Step_EveryMutableField_RoundTrips()
    {
        var run = Sample.Run(Sample.Name("taxi"));
        await Stores.Runs.CreateAsync(run, Sample.Steps(run, "prep", "train", "approve"), CancellationToken.None);
        var trained = Sample.Step(run, "train") with
        {
            Status = StepStatus.Succeeded,
            Attempts = 2,
            StartedAt = Sample.T0.AddSeconds(3),
            FinishedAt = Sample.T0.AddSeconds(64),
            Metrics = new Dictionary<string, double> { ["r_squared"] = 0.1 + 0.2, ["rmse"] = 1e-300, ["mae"] = double.MaxValue },
            Artifacts = new Dictionary<string, string> { ["model"] = $"runs/{run.RunId}/train/model.zip" },
            Result = new TrainResult { Task = MlTask.Regression, Trainer = "fast_tree", MeasuredOn = "prep", Note = "fast_tree trained on 40 rows" },
            Error = "first attempt ran out of memory",
        };
        var approved = Sample.Step(run, "approve", "manual") with
        {
            Status = StepStatus.Succeeded, DecidedBy = "alice", Reason = "metrics look right",
        };

        await Stores.RunExecution.CommitAsync(null, [trained], null, CancellationToken.None);
        await Stores.RunExecution.CommitAsync(null, [approved with { Kind = "ignored" }], null, CancellationToken.None);

        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);
        RecordAssert.SameStep(steps[0], Sample.Step(run, "prep"));
        RecordAssert.SameStep(steps[1], trained);
        RecordAssert.SameStep(steps[2], approved with { Kind = "train" });
    }

    [Test]
    public async Task CommitAsync_Step_AwkwardDoubles_RoundTripBitForBit()
    {
        var run = Sample.Run(Sample.Name("taxi"));
        await Stores.Runs.CreateAsync(run, Sample.Steps(run, "evaluate"), CancellationToken.None);
        double[] values = [0.1 + 0.2, 1.0 / 3, -0.0, double.Epsilon, double.MinValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 123456789.123456789];
        var metrics = values.Select((v, i) => (Key: $"m{i}", Value: v)).ToDictionary(p => p.Key, p => p.Value);

        await Stores.RunExecution.CommitAsync(null, [Sample.Step(run, "evaluate") with { Metrics = metrics }], null, CancellationToken.None);

        var read = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None))[0].Metrics;
        Assert.That(read.Keys, Is.EqualTo(metrics.Keys));
        Assert.That(read.Values.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(metrics.Values.Select(BitConverter.DoubleToInt64Bits)));
    }

    [Test]
    public async Task CommitAsync_Step_UnknownStep_ThrowsKeyNotFound()
    {
        var step = Sample.Step(Sample.Run(Sample.Name("taxi")), "prep");

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Stores.RunExecution.CommitAsync(null, [step], null, CancellationToken.None));
    }
}
