namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>Real time spent in steps, summed over the steps of every run of one replayed home.</summary>
internal sealed class ComputeMeter
{
    private long _ticks;

    public TimeSpan Total => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public void Add(TimeSpan elapsed) => Interlocked.Add(ref _ticks, elapsed.Ticks);
}
