using System.Runtime.InteropServices;
using MlOpsOrchestrator.Cli;

// Ctrl+C and SIGTERM cancel the command instead of killing the process, so a run in progress is recorded as
// interrupted (and says how to resume) before the process exits.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await MlOpsCli.RunAsync(args, Console.Out, Console.Error, stop.Token);

void Stop(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
