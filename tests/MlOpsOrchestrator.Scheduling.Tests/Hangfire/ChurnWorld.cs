using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.SampleData;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Scheduling.Cron;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Scheduling.Tests.Hangfire;

/// <summary>
/// A home folder with generated churn data and three pipeline files: <c>churn-manual</c> (deploy needs an approval),
/// <c>churn-auto</c> (nightly cron, deploys by itself) and a broken file. Small enough that a run trains in a second or two.
/// </summary>
public sealed class ChurnWorld : IDisposable
{
    public const string Manual = "churn-manual";
    public const string Auto = "churn-auto";
    public const string BrokenFile = "broken.yaml";

    private ChurnWorld(string home)
    {
        Home = home;
        Loader = new PipelineLoader(new PipelineLoaderOptions { DataRoot = home }, MlNetTrainerCatalog.Default, QuartzCronEvaluator.Instance);
        Catalog = new PipelineCatalog(Loader, PipelinesFolder, TimeProvider.System);
    }

    public string Home { get; }

    public string PipelinesFolder => Path.Combine(Home, "pipelines");

    public PipelineLoader Loader { get; }

    public PipelineCatalog Catalog { get; }

    public static async Task<ChurnWorld> CreateAsync()
    {
        var world = new ChurnWorld(Directory.CreateTempSubdirectory("mlops-hangfire-").FullName);
        Directory.CreateDirectory(world.PipelinesFolder);
        await SampleGenerators.WriteAsync(new CustomerChurnGenerator(), new SampleSettings { Rows = 1500, Seed = 11 }, Path.Combine(world.PipelinesFolder, "data", "customers.csv"), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(world.PipelinesFolder, "manual.yaml"), Pipeline(Manual, automatedDeploy: false, trigger: null));
        await File.WriteAllTextAsync(Path.Combine(world.PipelinesFolder, "auto.yaml"), Pipeline(Auto, automatedDeploy: true, trigger: "0 0 3 * * ?"));
        await File.WriteAllTextAsync(Path.Combine(world.PipelinesFolder, BrokenFile), "version: 1\nname: broken\n\"<script>alert(1)</script>\": 1\nsteps:\n  - id: prep\n    kind: data_prep\n    trainr: oops\n");
        world.Catalog.Refresh();
        return world;
    }

    public PipelineDefinition Definition(string name) =>
        Catalog.Find(name)?.Definition ?? throw new InvalidOperationException($"pipeline {name} did not load: {string.Join("; ", Catalog.Entries.SelectMany(e => e.Errors))}");

    public RunRequest Request(string name, string trigger = "manual") => new()
    {
        Definition = Definition(name),
        Yaml = Catalog.Find(name)!.Yaml!,
        Trigger = trigger,
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finished host; the temp folder is cleaned by the OS.
        }
    }

    private static string Pipeline(string name, bool automatedDeploy, string? trigger) => $$"""
        version: 1
        name: {{name}}
        description: Churn risk of subscription customers (test pipeline).
        owner: scheduling-tests
        data:
          source:
            type: csv
            path: data/customers.csv
          timestamp: signup_ts
          label: churned
          schema:
            signup_ts: { type: datetime }
            contract: { type: categorical }
            payment: { type: categorical }
            monthly_charges: { type: float, missing: mean }
            last_note: { type: text }
            churned: { type: categorical, positive: "yes" }
        {{(trigger is null ? "" : $"triggers:\n  - id: nightly\n    cron: \"{trigger}\"\n    mode: full\n")}}steps:
          - id: prep
            kind: data_prep
            split: { by: random, test_fraction: 0.25, seed: 3 }
          - id: train
            kind: train
            needs: [prep]
            task: binary
            trainer: lbfgs_logistic_regression
          - id: evaluate
            kind: evaluate
            needs: [train]
            gates:
              auc: { min: 0.6 }
          - id: deploy
            kind: deploy
            needs: [evaluate]
            automated: {{(automatedDeploy ? "true" : "false")}}
        """;
}
