using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// What one execution of one step is about: the run, its definition, the step and the records of the run's steps so
/// far. It reads upstream results from <see cref="Steps"/>, never from memory of earlier steps. The services a step
/// uses (stores, clock, run starter) are not here: its executor takes them in its constructor, so a missing one is a
/// composition error at start-up, not a failed step.
/// </summary>
public sealed record StepContext
{
    public required RunRecord Run { get; init; }
    public required PipelineDefinition Definition { get; init; }
    public required StepSpec Step { get; init; }

    /// <summary>Every step record of the run as persisted so far, by step id (upstream results and artifacts).</summary>
    public required IReadOnlyDictionary<string, StepRecord> Steps { get; init; }

    /// <summary>The run's logger: everything logged through it passes the redactor of the run's definition.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>Human-readable progress (rows read, training progress), shown on stderr and in logs.</summary>
    public Action<string> Progress { get; init; } = _ => { };

    /// <summary>Where this step writes its artifacts, relative to the artifact root.</summary>
    public string ArtifactPrefix => $"runs/{Run.RunId}/{Step.Id}";

    /// <summary>The upstream step records this step needs, of the given kind, in <c>needs</c> order.</summary>
    public IReadOnlyList<StepRecord> Upstream(StepKind kind) =>
        Step.Needs.Select(id => Definition.Spec.Step(id))
            .Where(s => s is not null && s.Kind == kind && Steps.ContainsKey(s.Id))
            .Select(s => Steps[s!.Id])
            .ToList();

    /// <summary>The nearest ancestor step of <paramref name="kind"/> that has finished, searching breadth-first up the DAG.</summary>
    public StepRecord? Nearest(StepKind kind)
    {
        var queue = new Queue<string>(Step.Needs);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var id))
        {
            if (!seen.Add(id) || Definition.Spec.Step(id) is not { } spec)
            {
                continue;
            }

            if (spec.Kind == kind && Steps.TryGetValue(id, out var record) && record.Status == StepStatus.Succeeded)
            {
                return record;
            }

            foreach (var need in spec.Needs)
            {
                queue.Enqueue(need);
            }
        }

        return null;
    }
}
