using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Execution;

/// <summary>
/// The step records of a run being executed, kept current in memory by its executor (their only writer while it owns
/// the run), with the changes not yet persisted, so each change can be written together with the next one.
/// </summary>
internal sealed class RunSteps(IReadOnlyList<StepRecord> persisted, string owner)
{
    /// <summary>The executor's owner id: every write of these records is fenced by it.</summary>
    public string Owner => owner;

    // Insertion order is the persisted (execution) order: records are only ever replaced, never removed.
    private readonly Dictionary<string, StepRecord> _records = persisted.ToDictionary(s => s.StepId, StringComparer.Ordinal);
    private readonly Dictionary<string, StepRecord> _unsaved = new(StringComparer.Ordinal);

    /// <summary>Every step record of the run as it stands, in execution order.</summary>
    public IReadOnlyCollection<StepRecord> All => _records.Values;

    public StepRecord this[string stepId] => _records[stepId];

    /// <summary>The changes not yet persisted.</summary>
    public IReadOnlyList<StepRecord> Unsaved => [.. _unsaved.Values];

    public bool TryGet(string stepId, out StepRecord record) => _records.TryGetValue(stepId, out record!);

    public void Set(StepRecord record)
    {
        _records[record.StepId] = record;
        _unsaved[record.StepId] = record;
    }

    /// <summary>The changes <see cref="Unsaved"/> handed out are persisted.</summary>
    public void Saved() => _unsaved.Clear();

    /// <summary>A copy for a step executor: steps executing in parallel never see the records change under them.</summary>
    public IReadOnlyDictionary<string, StepRecord> Snapshot() => new Dictionary<string, StepRecord>(_records, StringComparer.Ordinal);
}
