using System.Reflection;
using Microsoft.ML;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// Stops a running ML.NET fit when the step is cancelled. ML.NET 5 can cancel an <see cref="MLContext"/> only through
/// its internal <c>CancelExecution</c> method (public only to Microsoft.ML.Experimental), reached here by reflection,
/// or an internal <c>ICancelable</c> interface of other versions; if a future version hides both, cancellation falls
/// back to taking effect after the fit.
/// </summary>
internal static class MlCancellation
{
    private static readonly MethodInfo? Cancel =
        typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)
        ?? typeof(MLContext).GetInterfaces().FirstOrDefault(i => i.Name == "ICancelable")?.GetMethod("CancelExecution", Type.EmptyTypes);

    /// <summary>Whether a fit stops when its token is cancelled (rather than after it).</summary>
    public static bool Supported => Cancel is not null;

    /// <summary>
    /// Whether <paramref name="ex"/> is the fit stopping because <paramref name="ct"/> was cancelled: an
    /// <see cref="OperationCanceledException"/>, or, from a trainer's parallel workers (FastTree), an
    /// <see cref="AggregateException"/> of them. A step rethrows it as the cancellation rather than reporting a failed fit.
    /// </summary>
    public static bool IsCancellation(Exception ex, CancellationToken ct) =>
        ct.IsCancellationRequested
        && (ex is OperationCanceledException || (ex is AggregateException all && all.Flatten().InnerExceptions.All(e => e is OperationCanceledException)));

    public static CancellationTokenRegistration Link(MLContext ml, CancellationToken ct) =>
        Cancel is null ? default : ct.Register(() => Cancel.Invoke(ml, null));
}
