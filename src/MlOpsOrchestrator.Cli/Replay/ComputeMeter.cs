using System.Collections.Concurrent;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>Real time spent in steps, summed over the steps of every run of one replayed home, in total and by step kind.</summary>
internal sealed class ComputeMeter
{
    private readonly ConcurrentDictionary<StepKind, long> _byKind = new();
    private long _ticks;

    public TimeSpan Total => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>The time by step kind, the kinds in the order the enum declares them.</summary>
    public IReadOnlyList<(StepKind Kind, TimeSpan Elapsed)> ByKind =>
        [.. _byKind.OrderBy(k => k.Key).Select(k => (k.Key, TimeSpan.FromTicks(k.Value)))];

    public void Add(StepKind kind, TimeSpan elapsed)
    {
        Interlocked.Add(ref _ticks, elapsed.Ticks);
        _byKind.AddOrUpdate(kind, elapsed.Ticks, (_, ticks) => ticks + elapsed.Ticks);
    }
}
