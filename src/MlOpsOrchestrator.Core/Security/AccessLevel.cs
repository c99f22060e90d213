namespace MlOpsOrchestrator.Security;

/// <summary>What a request may do: nothing, read (the viewer token), or also change state (loopback or the API token).</summary>
public enum AccessLevel
{
    Denied,
    Read,
    Write,
}
