using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// Decisions from outside an executor (approve, reject, resume) over the real run stores: each is committed only while
/// the run's owner is the one read with it, so an executor that claims the run in between is never overwritten, and
/// the person gets a clear refusal instead.
/// </summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class RunDecisionFenceTests(StoreEngine engine) : StoreFixture(engine)
{
    [Test]
    public async Task ApproveAsync_Waiting_SavesTheDecision()
    {
        var run = await WaitingRunAsync();

        var approved = await Control(Stores.Runs).ApproveAsync(run.RunId, "approve", "alice", CancellationToken.None);

        var step = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None))[1];
        Assert.That(approved.Status, Is.EqualTo(RunStatus.Pending));
        Assert.That((await Stores.Runs.GetAsync(run.RunId, CancellationToken.None))!.Status, Is.EqualTo(RunStatus.Pending));
        Assert.That((step.Status, step.DecidedBy), Is.EqualTo((StepStatus.Pending, "alice")));
    }

    [Test]
    public async Task ApproveAsync_ExecutorClaimsTheRunWhileDeciding_RefusedAndNothingChanged()
    {
        var run = await WaitingRunAsync();
        var runs = new ClaimingWhileRead(Stores.Runs, () => Stores.RunExecution.ClaimAsync(run.RunId, "host-a:1", Sample.T0, RunLiveness.StaleAfter, CancellationToken.None));

        var refused = await Assert.ThrowsAsync<RunControlException>(() => Control(runs).ApproveAsync(run.RunId, "approve", "alice", CancellationToken.None));

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        var step = (await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None))[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused!.Message, Does.Contain(run.RunId).And.Contain("nothing was changed"));
            Assert.That(refused.NotFound, Is.False);
            Assert.That((read!.Owner, read.Status), Is.EqualTo(("host-a:1", RunStatus.Running)), "the executor keeps the run");
            Assert.That((step.Status, step.DecidedBy), Is.EqualTo((StepStatus.AwaitingApproval, (string?)null)), "no decision was written");
        }
    }

    [Test]
    public async Task PrepareResumeAsync_RunOfADeadExecutor_HandsTheRunBack()
    {
        var run = Sample.Run(Sample.Name("taxi")) with { Status = RunStatus.Running, Owner = "host-a:1", HeartbeatAt = Sample.T0.AddHours(-1) };
        await Stores.Runs.CreateAsync(run, [Sample.Step(run, "prep") with { Status = StepStatus.Running }], CancellationToken.None);

        var resumed = await Control(Stores.Runs).PrepareResumeAsync(run.RunId, CancellationToken.None);

        var read = await Stores.Runs.GetAsync(run.RunId, CancellationToken.None);
        Assert.That((resumed.Status, read!.Status, read.Owner), Is.EqualTo((RunStatus.Pending, RunStatus.Pending, (string?)null)));
        Assert.That((await Stores.Runs.GetStepsAsync(run.RunId, CancellationToken.None))[0].Status, Is.EqualTo(StepStatus.Pending));
    }

    private RunControl Control(IRunRepository runs) => new(runs, Stores.RunExecution, TimeProvider.System);

    private async Task<RunRecord> WaitingRunAsync()
    {
        var run = Sample.Run(Sample.Name("taxi")) with { Status = RunStatus.AwaitingApproval };
        await Stores.Runs.CreateAsync(run, [
            Sample.Step(run, "train") with { Status = StepStatus.Succeeded },
            Sample.Step(run, "approve", "manual") with { Status = StepStatus.AwaitingApproval },
        ], CancellationToken.None);
        return run;
    }

    /// <summary>The real repository; reading a run's steps lets an executor claim the run right after, as a race would.</summary>
    private sealed class ClaimingWhileRead(IRunRepository inner, Func<Task> meanwhile) : IRunRepository
    {
        public Task<(RunRecord Run, bool Created)> CreateAsync(RunRecord run, IReadOnlyList<StepRecord> steps, CancellationToken ct) => inner.CreateAsync(run, steps, ct);

        public Task<RunRecord?> GetAsync(string runId, CancellationToken ct) => inner.GetAsync(runId, ct);

        public async Task<IReadOnlyList<StepRecord>> GetStepsAsync(string runId, CancellationToken ct)
        {
            var steps = await inner.GetStepsAsync(runId, ct);
            await meanwhile();
            return steps;
        }

        public Task<IReadOnlyList<RunRecord>> ListAsync(string? pipeline, int limit, CancellationToken ct) => inner.ListAsync(pipeline, limit, ct);

        public Task<IReadOnlyList<string>> ListPipelinesAsync(CancellationToken ct) => inner.ListPipelinesAsync(ct);

        public Task<IReadOnlyList<string>> FindIdsAsync(string prefix, int limit, CancellationToken ct) => inner.FindIdsAsync(prefix, limit, ct);

        public Task<IReadOnlyList<RunRecord>> FindAsync(RunQuery query, CancellationToken ct) => inner.FindAsync(query, ct);

        public Task<IReadOnlyList<RunRecord>> ListByStatusAsync(string pipeline, IReadOnlyCollection<RunStatus> statuses, CancellationToken ct) => inner.ListByStatusAsync(pipeline, statuses, ct);
    }
}
