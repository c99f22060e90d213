namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// Another process already runs the embedded schedule of the same home folder. The embedded store is not clustered,
/// so a second scheduler on the same file would fire every trigger again; it is refused instead.
/// </summary>
public sealed class ScheduleStoreInUseException : InvalidOperationException
{
    public ScheduleStoreInUseException()
    {
    }

    public ScheduleStoreInUseException(string message)
        : base(message)
    {
    }

    public ScheduleStoreInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
