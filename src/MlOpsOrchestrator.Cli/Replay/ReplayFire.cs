using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Replay;

/// <summary>
/// One scheduled instant of a replay: a trigger's cron fire, or the first full run at the start. <see cref="Order"/>
/// breaks ties between fires at the same instant (the trigger's place in the file).
/// </summary>
internal sealed record ReplayFire(DateTimeOffset At, string Trigger, RunMode Mode, int Order, bool First = false);
