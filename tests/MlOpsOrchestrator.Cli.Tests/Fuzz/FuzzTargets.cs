namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>The things that exist on the fuzzed host: path values that name them make a write route's request a real one.</summary>
internal sealed record FuzzTargets(string WaitingRunId, string DeployedRunId, string AntiforgeryToken)
{
    private string[] Real => [FuzzHost.Model, WaitingRunId, DeployedRunId, "deploy", "train", "evaluate", "prep", "production", "1", "default"];

    public bool IsReal(string value) => Real.Contains(value, StringComparer.OrdinalIgnoreCase);

    public string RealValue(string parameter, Random random) => parameter switch
    {
        "name" => FuzzHost.Model,
        "id" => random.Next(4) == 0 ? DeployedRunId : WaitingRunId,
        "step" => random.Next(4) == 0 ? "train" : "deploy",
        "jobid" => "1",
        "queue" => "default",
        _ => "x",
    };
}
