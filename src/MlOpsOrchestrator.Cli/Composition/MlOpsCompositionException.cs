namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>
/// The product was composed without something it needs (a storage mode, a run dispatcher, an executor for a step
/// kind); <see cref="Problems"/> lists every one, each naming the <see cref="MlOpsBuilder"/> call that adds it.
/// </summary>
public sealed class MlOpsCompositionException : InvalidOperationException
{
    public MlOpsCompositionException()
        : this([])
    {
    }

    public MlOpsCompositionException(string message)
        : this([message])
    {
    }

    public MlOpsCompositionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public MlOpsCompositionException(IReadOnlyList<string> problems)
        : base("AddMlOps cannot compose the product: " + string.Join("; ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
