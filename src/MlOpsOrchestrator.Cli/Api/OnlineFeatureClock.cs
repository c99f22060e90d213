namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The "now" predict by entity key computes features at: the host's clock, unless a test fixes the instant (to compare a
/// prediction with one from the training set exported as of that instant) without stopping the clock of the scheduler,
/// the queue and the heartbeats.
/// </summary>
internal sealed record OnlineFeatureClock(TimeProvider Time);
