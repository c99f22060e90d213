using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Composition;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Architecture;

/// <summary>
/// <c>serve</c>, <c>worker</c> and the one-shot commands are composed by <c>AddMlOps</c> alone: no source of the
/// executable or of the scheduling project constructs the run executor, a step executor or the run services by hand.
/// </summary>
[TestFixture]
public sealed partial class CompositionRootTests
{
    private static readonly string[] Folders = ["src/MlOpsOrchestrator.Cli", "src/MlOpsOrchestrator.Scheduling"];

    [TestCaseSource(nameof(Folders))]
    public void Sources_ConstructNoExecutorNorRunServiceByHand(string folder)
    {
        var hits = Directory.EnumerateFiles(RepositoryPaths.Combine(folder.Split('/')), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (File: Path.GetFileName(file), Line: i + 1, Text: line)))
            .Where(l => HandWiring().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.That(hits, Is.Empty);
    }

    [TestCase("src/MlOpsOrchestrator.Cli/Hosting/ServeHost.cs", "AddMlOps(settings)")]
    [TestCase("src/MlOpsOrchestrator.Cli/Hosting/WorkerHost.cs", "AddMlOps(settings)")]
    [TestCase("src/MlOpsOrchestrator.Cli/Hosting/MlOpsHostServiceCollectionExtensions.cs", "services.AddMlOps(mlops =>")]
    [TestCase("src/MlOpsOrchestrator.Cli/Runtime/MlOpsRuntime.cs", ".AddMlOps(mlops =>")]
    public void Hosts_AndTheOneShotRuntime_ComposeThroughAddMlOps(string file, string call)
    {
        Assert.That(File.ReadAllText(RepositoryPaths.Combine(file.Split('/'))), Does.Contain(call));
    }

    [TestCase("        Executor = new RunExecutor(")]
    [TestCase("[new DataPrepExecutor(sources), new TrainExecutor()]")]
    [TestCase("var starter = new RunStarter(launcher, storage.Runs, storage.RunExecution, Dispatcher, time);")]
    [TestCase("services.AddSingleton(sp => new RunExecutor(")]
    public void TheScan_FindsHandWiring_WhereThereIsSome(string line)
    {
        Assert.That(HandWiring().IsMatch(line), Is.True);
    }

    [GeneratedRegex(@"\bnew\s+(RunExecutor|RunStarter|RunControl|RunLauncher|RunDefinitionLoader|\w+StepExecutor|(DataPrep|Train|Evaluate|Deploy|Monitor|Retrain)Executor)\s*\(")]
    private static partial Regex HandWiring();
}
