namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// The virtual clock of a replay: it stands at the fire being replayed, so every time a run records (its start, the
/// watermark, a deploy, the monitor's window) is the time the run would have had. Timers still run on real time.
/// </summary>
internal sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset at) => _now = at.ToUniversalTime();
}
