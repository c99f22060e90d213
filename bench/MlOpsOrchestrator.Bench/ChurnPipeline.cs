using System.Globalization;
using System.Text;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The pipeline the ML benchmarks run over <c>churn.csv</c> (the customer-churn generator's columns):
/// data_prep → train (<c>lbfgs_logistic_regression</c>) → evaluate → deploy, with what each benchmark varies.
/// </summary>
internal static class ChurnPipeline
{
    /// <param name="name">The pipeline's name.</param>
    /// <param name="threads">The trainer's <c>number_of_threads</c>; null: the trainer's default.</param>
    /// <param name="testSource">A held-out CSV evaluate measures on (<c>data.test_source</c>).</param>
    /// <param name="warmStart">Incremental runs continue the production model.</param>
    /// <param name="minGate">A <c>min</c> gate on evaluate: metric and bound.</param>
    public static string Yaml(string name, int? threads = null, string? testSource = null, bool warmStart = false, (string Metric, double Min)? minGate = null)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"""
            version: 1
            name: {name}
            data:
              source: {"{"} type: csv, path: churn.csv {"}"}

            """);
        if (testSource is not null)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  test_source: {{ type: csv, path: {testSource} }}\n");
        }

        yaml.Append("""
              timestamp: signup_ts
              label: churned
              schema:
                signup_ts: { type: datetime }
                tenure_months: { type: int }
                monthly_charges: { type: float, missing: mean }
                contract: { type: categorical }
                payment: { type: categorical }
                support_calls: { type: int }
                outages: { type: int }
                last_note: { type: text }
                churned: { type: categorical, positive: "yes" }
            steps:
              - id: prep
                kind: data_prep
              - id: train
                kind: train
                needs: [prep]
                task: binary
                trainer: lbfgs_logistic_regression

            """);
        if (threads is { } n)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"    options: {{ number_of_threads: {n} }}\n");
        }

        if (warmStart)
        {
            yaml.Append("    incremental: { strategy: warm_start }\n");
        }

        yaml.Append("""
              - id: evaluate
                kind: evaluate
                needs: [train]

            """);
        if (minGate is { } gate)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"    gates:\n      {gate.Metric}: {{ min: {gate.Min} }}\n");
        }

        yaml.Append("""
              - id: deploy
                kind: deploy
                needs: [evaluate]

            """);
        return yaml.ToString();
    }
}
