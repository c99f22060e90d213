namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

/// <summary>
/// A temporary data root holding a small CSV and a <c>pipelines</c> folder that the scheduler watches; pipeline files
/// are written, edited and deleted the way a user would.
/// </summary>
internal sealed class PipelineFolder : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mlops-scheduling-");

    /// <param name="createPipelines">False: the <c>pipelines</c> folder appears only on <see cref="CreatePipelines"/>.</param>
    public PipelineFolder(bool createPipelines = true)
    {
        if (createPipelines)
        {
            CreatePipelines();
        }
    }

    /// <summary>The data root: pipeline paths may not escape it.</summary>
    public string Root => _root.FullName;

    public string Pipelines => Path.Combine(Root, "pipelines");

    /// <summary>A home folder for the run store and artifacts.</summary>
    public string Home => Path.Combine(Root, "home");

    /// <summary>Creates the <c>pipelines</c> folder with its data file.</summary>
    public void CreatePipelines()
    {
        Directory.CreateDirectory(Path.Combine(Pipelines, "data"));
        File.WriteAllText(Path.Combine(Pipelines, "data", "customers.csv"), Csv());
    }

    public string FileOf(string name) => Path.Combine(Pipelines, $"{name}.yaml");

    /// <summary>Writes the file atomically (temporary name, then rename), as editors and deploy tools do.</summary>
    public string Write(string name, string yaml)
    {
        var path = FileOf(name);
        var temporary = Path.Combine(Root, $"{name}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, yaml);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public void Delete(string name) => File.Delete(FileOf(name));

    /// <summary>
    /// A tiny valid pipeline in the style of the customer-churn sample, in Paris time, with an <c>on: drift</c> trigger
    /// and, unless <paramref name="cron"/> is null, the cron trigger <c>tick</c>.
    /// </summary>
    public static string Pipeline(string name, string? cron, string concurrency = "skip", string misfire = "fire_once")
    {
        var tick = cron is null ? "" : $"  - id: tick\n    cron: \"{cron}\"\n    misfire: {misfire}\n";
        return $$"""
        version: 1
        name: {{name}}
        description: Churn risk; a scheduler test pipeline.
        data:
          source:
            type: csv
            path: data/customers.csv
          label: churned
          schema:
            plan: { type: categorical }
            churned: { type: categorical, positive: "yes" }
        triggers:
        {{tick}}  - id: on-drift
            on: drift
        timezone: Europe/Paris
        concurrency: {{concurrency}}
        steps:
          - id: prep
            kind: data_prep
            split: { by: random, test_fraction: 0.25, seed: 3 }
          - id: train
            kind: train
            needs: [prep]
            task: binary
            trainer: lbfgs_logistic_regression
        """;
    }

    public void Dispose()
    {
        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    private static string Csv()
    {
        var lines = new List<string> { "tenure_months,monthly_charges,plan,churned" };
        for (var i = 0; i < 40; i++)
        {
            lines.Add($"{i % 24},{40 + (i * 7 % 50)},{(i % 3 == 0 ? "basic" : "premium")},{(i % 4 == 0 ? "yes" : "no")}");
        }

        return string.Join('\n', lines) + "\n";
    }
}
