using Microsoft.Extensions.Logging.Abstractions;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// What each monitor <c>reference</c> would have found at every monitor run of the policy: the same window at the same
/// virtual time and the same production version, judged against <c>training</c>, <c>previous_window</c> and
/// <c>same_period</c>, and how many drift retrains each would have started (a drift found, in a run not itself a
/// retrain, at least the retrain step's <c>cooldown</c> after the previous one it would have started). It does not
/// change the policy's own path: the policy runs with the reference its file sets.
/// </summary>
internal sealed class ReplayReferences(PipelineDefinition definition, HashSet<string> driftTriggers)
{
    private readonly Dictionary<string, List<ReplayReferenceCheck>> _checks = MonitorReferenceCheck.All
        .ToDictionary(MonitorReferenceCheck.Word, _ => new List<ReplayReferenceCheck>(), StringComparer.Ordinal);

    private readonly Dictionary<string, int> _wouldRetrain = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastRetrain = new(StringComparer.Ordinal);
    private readonly TimeSpan _cooldown = definition.Spec.Steps.OfType<RetrainStep>().Select(r => r.Cooldown).DefaultIfEmpty(RetrainStep.DefaultCooldown).First();
    private readonly bool _retrains = definition.Spec.Steps.OfType<RetrainStep>().Any();

    /// <summary>True when the pipeline has a monitor step: only then are the references compared.</summary>
    public static bool Applies(PipelineDefinition definition) => definition.Spec.Steps.OfType<MonitorStep>().Any();

    /// <summary>Judges the window of the run's monitor step (when it watched the pipeline's data) under every reference.</summary>
    public async Task CompareAsync(ReplayHome home, RunRecord run, DateTimeOffset at, CancellationToken ct)
    {
        var steps = await home.Storage.Runs.GetStepsAsync(run.RunId, ct);
        var monitor = steps.FirstOrDefault(s => s.Status == StepStatus.Succeeded && s.Result is MonitorResult { WindowSource: WindowSource.Data });
        if (monitor is null || definition.Spec.Step(monitor.StepId) is not MonitorStep step)
        {
            return;
        }

        var context = new StepContext
        {
            Run = run,
            Definition = definition,
            Step = step,
            Steps = steps.ToDictionary(s => s.StepId, StringComparer.Ordinal),
            Logger = NullLogger.Instance,
        };
        foreach (var finding in await home.ReferenceCheck.CompareAsync(context, ct))
        {
            _checks[finding.Reference].Add(new ReplayReferenceCheck
            {
                At = at, DriftFound = finding.DriftFound, Used = finding.Used, WorstFeature = finding.WorstFeature, WorstScore = finding.WorstScore,
            });
            if (finding.DriftFound && _retrains && !driftTriggers.Contains(run.Trigger)
                && (!_lastRetrain.TryGetValue(finding.Reference, out var last) || at - last >= _cooldown))
            {
                _lastRetrain[finding.Reference] = at;
                _wouldRetrain[finding.Reference] = _wouldRetrain.GetValueOrDefault(finding.Reference) + 1;
            }
        }
    }

    /// <summary>One view per reference, in the order training, previous_window, same_period.</summary>
    public IReadOnlyList<ReplayReferenceView> Views(MonitorStep? own) =>
    [
        .. MonitorReferenceCheck.All.Select(MonitorReferenceCheck.Word).Select(reference => new ReplayReferenceView
        {
            Reference = reference,
            Policy = own is not null && MonitorReferenceCheck.Word(own.Reference) == reference,
            Checks = _checks[reference].Count,
            DriftFound = _checks[reference].Count(c => c.DriftFound),
            WouldRetrain = _wouldRetrain.GetValueOrDefault(reference),
            Runs = _checks[reference],
        }),
    ];
}

/// <summary>One reference in <c>monitorReferences</c>: its checks, the drifts it found and the retrains it would have started.</summary>
internal sealed record ReplayReferenceView
{
    public required string Reference { get; init; }

    /// <summary>True for the reference the pipeline's monitor step uses (the policy's own path).</summary>
    public bool Policy { get; init; }
    public int Checks { get; init; }
    public int DriftFound { get; init; }
    public int WouldRetrain { get; init; }

    /// <summary>Every check: when, drift or not, the worst feature and its score, and the reference used.</summary>
    public required IReadOnlyList<ReplayReferenceCheck> Runs { get; init; }
}

/// <summary>One monitor run of the policy judged under one reference.</summary>
internal sealed record ReplayReferenceCheck
{
    public required DateTimeOffset At { get; init; }
    public bool DriftFound { get; init; }

    /// <summary>The reference used: the one asked for, or <c>training</c> when the data could not give it.</summary>
    public required string Used { get; init; }
    public string? WorstFeature { get; init; }
    public double? WorstScore { get; init; }
}
