using System.Globalization;
using System.Text;

namespace MlOpsOrchestrator.Integration.Tests.Cluster;

/// <summary>
/// The pipeline files of the cluster tests: the churn sample data (<c>mlops sample-data customer-churn</c>) prepared,
/// trained and deployed, with a seconds-scale Quartz cron. The trainer sets how long a run takes: logistic regression
/// on a few hundred rows is well under a second, FastTree with many trees on thousands of rows takes seconds.
/// </summary>
internal sealed record ChurnPipeline(string Name, string DataFile)
{
    /// <summary>A Quartz cron (seconds first); null: no trigger, runs start only through the API.</summary>
    public string? Cron { get; init; }

    /// <summary><c>fire_once</c> or <c>skip</c>; null: the default.</summary>
    public string? Misfire { get; init; }

    /// <summary><c>skip</c> or <c>queue</c>; null: the default.</summary>
    public string? Concurrency { get; init; }

    /// <summary>FastTree with this many trees; null: logistic regression (fast).</summary>
    public int? FastTreeTrees { get; init; }

    public const string TriggerId = "tick";

    public string ToYaml()
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $$"""
            version: 1
            name: {{Name}}
            data:
              source: { type: csv, path: data/{{DataFile}} }
              timestamp: signup_ts
              label: churned
              schema:
                signup_ts: { type: datetime }
                contract: { type: categorical }
                payment: { type: categorical }
                monthly_charges: { type: float, missing: mean }
                last_note: { type: text }
                churned: { type: categorical, positive: "yes" }

            """);
        if (Concurrency is not null)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"concurrency: {Concurrency}\n");
        }

        if (Cron is not null)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"triggers:\n  - id: {TriggerId}\n    cron: \"{Cron}\"\n");
            if (Misfire is not null)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    misfire: {Misfire}\n");
            }
        }

        var trainer = FastTreeTrees is { } trees
            ? $"trainer: fast_tree\n    options: {{ number_of_trees: {trees}, number_of_leaves: 31 }}"
            : "trainer: lbfgs_logistic_regression";
        yaml.Append(CultureInfo.InvariantCulture, $"""
            steps:
              - id: prep
                kind: data_prep
              - id: train
                kind: train
                needs: [prep]
                task: binary
                {trainer}
              - id: deploy
                kind: deploy
                needs: [train]

            """);
        return yaml.ToString();
    }
}
