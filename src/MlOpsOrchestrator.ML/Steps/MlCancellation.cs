using System.Reflection;
using Microsoft.ML;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// Stops a running ML.NET fit when the step is cancelled. ML.NET 5 can cancel an <see cref="MLContext"/> only through
/// its internal <c>ICancelable</c> interface, reached here by reflection; if a future version hides it, cancellation
/// falls back to taking effect after the fit.
/// </summary>
internal static class MlCancellation
{
    private static readonly MethodInfo? Cancel = typeof(MLContext).GetInterfaces()
        .FirstOrDefault(i => i.Name == "ICancelable")
        ?.GetMethod("CancelExecution", Type.EmptyTypes);

    public static CancellationTokenRegistration Link(MLContext ml, CancellationToken ct) =>
        Cancel is null ? default : ct.Register(() => Cancel.Invoke(ml, null));
}
