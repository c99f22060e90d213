namespace MlOpsOrchestrator.Cli;

/// <summary>The exit codes of every command (spec "Command line"): scripts and CI branch on them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int WorkFailed = 1;
    public const int BadInput = 2;
    public const int AwaitingApproval = 3;
}
