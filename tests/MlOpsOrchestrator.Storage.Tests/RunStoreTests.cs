using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class RunStoreTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task CreateAsync_NewRun_GetReturnsEveryField()
    {
        var run = Sample.Run(Sample.Name("taxi")) with { StepSubset = ["prep", "train"], IdempotencyKey = Sample.Name("key") };

        var (returned, created) = await Stores.Runs.CreateAsync(run, Sample.Steps(run, "prep", "train"), CancellationToken.None);

        Assert.That(created, Is.True);
        RecordAssert.SameRun(returned, run);
        RecordAssert.SameRun(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), run);
    }

    [Test]
    public async Task GetAsync_UnknownRun_ReturnsNull()
    {
        Assert.That(await Stores.Runs.GetAsync("no-such-run", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task GetStepsAsync_StepsGivenOutOfAlphabeticalOrder_ReturnsCreationOrder()
    {
        var run = Sample.Run(Sample.Name("taxi"));
        var ids = new[] { "prep", "train", "evaluate", "approve", "deploy", "monitor", "a_last" };
        await Stores.Runs.CreateAsync(run, Sample.Steps(run, ids), CancellationToken.None);

        var steps = await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None);

        Assert.That(steps.Select(s => s.StepId), Is.EqualTo(ids));
        Assert.That(steps.Select(s => s.Status), Is.All.EqualTo(StepStatus.Pending));
    }

    [Test]
    public async Task CreateAsync_ExistingIdempotencyKey_ReturnsExistingRunAndWritesNothing()
    {
        var key = Sample.Name("nightly|2026-03-14T02:00Z");
        var first = Sample.Run(Sample.Name("taxi"), key: key);
        await Stores.Runs.CreateAsync(first, Sample.Steps(first, "prep"), CancellationToken.None);
        var second = Sample.Run(first.Pipeline, Sample.T0.AddMinutes(1), key);

        var (returned, created) = await Stores.Runs.CreateAsync(second, Sample.Steps(second, "prep", "train"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False);
            Assert.That(returned.RunId, Is.EqualTo(first.RunId));
            Assert.That(await Stores.Runs.GetAsync(second.RunId, CancellationToken.None), Is.Null);
            Assert.That(await Stores.Runs.GetStepsAsync(second.RunId, CancellationToken.None), Is.Empty);
            Assert.That(await Stores.Runs.ListAsync(first.Pipeline, 10, CancellationToken.None), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task CreateAsync_SameKeyFromTwoProcessesAtOnce_CreatesExactlyOneRun()
    {
        await using var other = await OpenAnotherAsync();
        var pipeline = Sample.Name("taxi");
        var key = Sample.Name("fire");
        var runs = Enumerable.Range(0, 6).Select(_ => Sample.Run(pipeline, key: key)).ToList();

        var results = await Task.WhenAll(runs.Select((run, i) =>
            Task.Run(() => (i % 2 == 0 ? Stores : other).Runs.CreateAsync(run, Sample.Steps(run, "prep"), CancellationToken.None))));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Count(r => r.Created), Is.EqualTo(1));
            Assert.That(results.Select(r => r.Run.RunId).Distinct().Count(), Is.EqualTo(1));
            Assert.That(await Stores.Runs.ListAsync(pipeline, 10, CancellationToken.None), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task CreateAsync_StepOfAnotherRun_Throws()
    {
        var run = Sample.Run(Sample.Name("taxi"));
        var stranger = Sample.Step(Sample.Run(run.Pipeline), "prep");

        await Assert.ThrowsAsync<ArgumentException>(() => Stores.Runs.CreateAsync(run, [stranger], CancellationToken.None));
        Assert.That(await Stores.Runs.GetAsync(run.RunId, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task ListAsync_SeveralPipelines_NewestFirstLimitedAndFiltered()
    {
        var taxi = Sample.Name("taxi");
        var iris = Sample.Name("iris");
        var future = Sample.T0.AddYears(50); // newer than every run the other tests create
        var created = new List<RunRecord>();
        foreach (var (pipeline, minutes) in new[] { (taxi, 1), (iris, 2), (taxi, 5), (taxi, 3), (iris, 4) })
        {
            var run = Sample.Run(pipeline, future.AddMinutes(minutes));
            await Stores.Runs.CreateAsync(run, [], CancellationToken.None);
            created.Add(run);
        }

        var all = await Stores.Runs.ListAsync(null, 3, CancellationToken.None);
        var onlyTaxi = await Stores.Runs.ListAsync(taxi, 10, CancellationToken.None);
        var none = await Stores.Runs.ListAsync(taxi, 0, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(r => r.CreatedAt), Is.EqualTo(new[] { 5, 4, 3 }.Select(m => future.AddMinutes(m))));
            Assert.That(onlyTaxi.Select(r => r.CreatedAt), Is.EqualTo(new[] { 5, 3, 1 }.Select(m => future.AddMinutes(m))));
            Assert.That(onlyTaxi.Select(r => r.Pipeline), Is.All.EqualTo(taxi));
            Assert.That(none, Is.Empty);
        }
    }

    [Test]
    public async Task FindAsync_StatusTriggerAndPipeline_AllMustMatchAndTheLimitCountsMatchesOnly()
    {
        var taxi = Sample.Name("taxi");
        // A pipeline of its own, so every query names it; older than the runs ListAsync_SeveralPipelines lists unfiltered.
        var future = Sample.T0.AddYears(40);
        foreach (var (trigger, status, minutes) in new[]
        {
            ("nightly", RunStatus.Failed, 1), ("nightly", RunStatus.Succeeded, 2), ("drift", RunStatus.Failed, 3),
            ("nightly", RunStatus.Cancelled, 4), ("nightly", RunStatus.Succeeded, 5), ("nightly", RunStatus.Succeeded, 6),
        })
        {
            var run = Sample.Run(taxi, future.AddMinutes(minutes)) with { Trigger = trigger, Status = status };
            await Stores.Runs.CreateAsync(run, [], CancellationToken.None);
        }

        var failed = await Stores.Runs.FindAsync(new RunQuery { Pipeline = taxi, Statuses = [RunStatus.Failed], Limit = 10 }, CancellationToken.None);
        var nightlyFailedOrCancelled = await Stores.Runs.FindAsync(
            new RunQuery { Pipeline = taxi, Trigger = "nightly", Statuses = [RunStatus.Failed, RunStatus.Cancelled], Limit = 10 }, CancellationToken.None);
        var oneFailed = await Stores.Runs.FindAsync(new RunQuery { Statuses = [RunStatus.Failed], Trigger = "nightly", Pipeline = taxi, Limit = 1 }, CancellationToken.None);
        var drift = await Stores.Runs.FindAsync(new RunQuery { Pipeline = taxi, Trigger = "drift", Limit = 10 }, CancellationToken.None);
        var noStatus = await Stores.Runs.FindAsync(new RunQuery { Pipeline = taxi, Statuses = [], Limit = 10 }, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Select(r => r.CreatedAt), Is.EqualTo(new[] { 3, 1 }.Select(m => future.AddMinutes(m))));
            Assert.That(nightlyFailedOrCancelled.Select(r => r.CreatedAt), Is.EqualTo(new[] { 4, 1 }.Select(m => future.AddMinutes(m))));
            Assert.That(oneFailed.Select(r => r.CreatedAt), Is.EqualTo(new[] { future.AddMinutes(1) }), "the newer runs of other statuses do not use up the limit");
            Assert.That(drift.Select(r => r.Trigger), Is.EqualTo(new[] { "drift" }));
            Assert.That(noStatus, Is.Empty);
        }
    }

    [Test]
    public async Task ListAsync_SameCreationTime_LaterInsertFirst()
    {
        var pipeline = Sample.Name("taxi");
        var first = Sample.Run(pipeline);
        var second = Sample.Run(pipeline);
        await Stores.Runs.CreateAsync(first, [], CancellationToken.None);
        await Stores.Runs.CreateAsync(second, [], CancellationToken.None);

        var runs = await Stores.Runs.ListAsync(pipeline, 10, CancellationToken.None);

        Assert.That(runs.Select(r => r.RunId), Is.EqualTo(new[] { second.RunId, first.RunId }));
    }

    [Test]
    public async Task ListByStatusAsync_ActiveStatuses_ReturnsOnlyThoseOfThePipeline()
    {
        var pipeline = Sample.Name("taxi");
        var statuses = new[] { RunStatus.Pending, RunStatus.Running, RunStatus.Succeeded, RunStatus.AwaitingApproval, RunStatus.Failed };
        var runs = new List<RunRecord>();
        for (var i = 0; i < statuses.Length; i++)
        {
            var run = Sample.Run(pipeline, Sample.T0.AddSeconds(i)) with { Status = statuses[i] };
            await Stores.Runs.CreateAsync(run, [], CancellationToken.None);
            runs.Add(run);
        }

        var elsewhere = Sample.Run(Sample.Name("iris")) with { Status = RunStatus.Running };
        await Stores.Runs.CreateAsync(elsewhere, [], CancellationToken.None);

        var active = await Stores.Runs.ListByStatusAsync(
            pipeline, [RunStatus.Pending, RunStatus.Running, RunStatus.AwaitingApproval], CancellationToken.None);
        var none = await Stores.Runs.ListByStatusAsync(pipeline, [], CancellationToken.None);

        Assert.That(active.Select(r => r.RunId), Is.EqualTo(new[] { runs[3].RunId, runs[1].RunId, runs[0].RunId }));
        Assert.That(none, Is.Empty);
    }

    [TestCase(RunStatus.Pending, "pending")]
    [TestCase(RunStatus.AwaitingApproval, "awaiting_approval")]
    [TestCase(RunStatus.Interrupted, "interrupted")]
    public async Task UpdateAsync_Status_StoredAsSnakeCaseWord(RunStatus status, string word)
    {
        var run = Sample.Run(Sample.Name("taxi"));
        await Stores.Runs.CreateAsync(run, [], CancellationToken.None);

        await Stores.RunExecution.CommitAsync(null, [], run with { Status = status }, CancellationToken.None);

        Assert.That(await RawStatusAsync(run.RunId), Is.EqualTo(word));
        Assert.That((await Stores.Runs.GetAsync(run.RunId, CancellationToken.None))!.Status, Is.EqualTo(status));
    }

    private async Task<string?> RawStatusAsync(string runId)
    {
        await using var engine = Target.CreateEngine();
        await using var connection = await engine.OpenAsync(CancellationToken.None);
        await using var command = connection.Command($"SELECT status FROM {engine.Table("runs")} WHERE run_id = @id").With("@id", runId);
        return (string?)await command.ExecuteScalarAsync();
    }
}
