namespace MlOpsOrchestrator.ML.Tests.Monitoring.Support;

/// <summary>A level-4 style pipeline over <c>bikes.csv</c>: prep, train, evaluate, deploy, monitor, retrain.</summary>
internal static class BikePipeline
{
    public const string File = "bikes.csv";

    /// <param name="drift">The monitor's <c>drift:</c> mapping.</param>
    /// <param name="performance">The monitor's <c>performance:</c> mapping, or null for none.</param>
    /// <param name="timestamp">False: no <c>data.timestamp</c> (the monitor then falls back to the prediction log).</param>
    /// <param name="concurrency">The pipeline's <c>concurrency:</c> policy.</param>
    /// <param name="when">The retrain step's <c>when:</c>.</param>
    /// <param name="window">The monitor's <c>window:</c>.</param>
    public static string Yaml(
        string drift = "{ method: psi, threshold: 0.2 }", string? performance = "{ metric: rmse, max_increase: 0.2 }", bool timestamp = true,
        string concurrency = "queue", string when = "drift", string window = "14d") => $$"""
        version: 1
        name: bikes
        data:
          source: { type: csv, path: {{File}} }
        {{(timestamp ? "  timestamp: ts" : "")}}
          label: rentals
          schema:
            season: { type: categorical }
            weekday: { type: categorical }
            weather: { type: categorical }
            humidity: { type: float, missing: mean }
            note: { type: ignore }
        {{(timestamp ? "" : "    ts: { type: ignore }")}}
        triggers:
          - id: on-drift
            on: drift
            mode: full
        concurrency: {{concurrency}}
        steps:
          - id: prep
            kind: data_prep
        {{(timestamp ? "    split: { by: time, test_fraction: 0.2 }" : "")}}
          - id: train
            kind: train
            needs: [prep]
            task: regression
            trainer: fast_tree
            seed: 1
          - id: evaluate
            kind: evaluate
            needs: [train]
            gates:
              r_squared: { min: 0.5 }
          - id: deploy
            kind: deploy
            needs: [evaluate]
          - id: monitor
            kind: monitor
            needs: [deploy]
            window: {{window}}
            drift: {{drift}}
        {{(performance is null ? "" : $"    performance: {performance}")}}
          - id: retrain
            kind: retrain
            needs: [monitor]
            when: {{when}}
            trigger: on-drift
        """;
}
