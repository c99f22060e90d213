namespace MlOpsOrchestrator.Planning;

/// <summary>
/// The MLOps maturity level of a pipeline version and why: what holds at its level, and for every higher level the
/// first rule that fails, so an engineer knows exactly what to automate next.
/// </summary>
/// <param name="Level">0 to 4.</param>
/// <param name="Held">The rules that hold, level by level, e.g. <c>level 2: train 'train' automated</c>.</param>
/// <param name="Blockers">One line per higher level, e.g. <c>level 3: deploy 'deploy' is manual (automated: false)</c>.</param>
public sealed record MaturityAssessment(int Level, IReadOnlyList<string> Held, IReadOnlyList<string> Blockers)
{
    public static IReadOnlyList<string> Names { get; } =
        ["No MLOps", "DevOps, no MLOps", "Automated training", "Automated deployment", "Automated retraining"];

    public string Name => Names[Level];
}
