namespace MlOpsOrchestrator.Tests.Support;

/// <summary>Pipeline files the loader tests start from; both load without errors in a <see cref="LoaderWorkspace"/>.</summary>
internal static class SampleYaml
{
    /// <summary>
    /// The complete example of the pipeline YAML spec, adapted: the train step's incremental strategy is 'window'
    /// (fast_tree cannot warm start) and the deploy step is automated, so the pipeline is level 4.
    /// </summary>
    public const string Complete = """
        version: 1
        name: bike-demand                 # unique among loaded pipelines
        description: Hourly bike rentals; full retrain nightly, incremental every 5 minutes.
        owner: demand-team

        data:
          source:
            type: csv
            path: data/bike-hourly.csv    # relative to this YAML file
            separator: ","
            header: true
          test_source:
            type: csv
            path: data/bike-hourly-test.csv
          timestamp: ts
          label: count
          schema:
            ts:       { type: datetime }
            season:   { type: categorical }
            temp:     { type: float, range: [-30, 50] }
            humidity: { type: float, missing: mean }
            count:    { type: float, min: 0 }
            comment:  { type: text }
            id:       { type: ignore }

        triggers:
          - id: nightly
            cron: "0 0 2 * * ?"
            mode: full
          - id: every-5-min
            cron: "0 0/5 * * * ?"
            mode: incremental
            misfire: fire_once
          - id: watch
            cron: "0 0/15 * * * ?"
            steps: [monitor, retrain]
          - id: on-drift
            on: drift
            mode: incremental
        timezone: UTC
        concurrency: skip

        steps:
          - id: prep
            kind: data_prep
            checks:
              min_rows: 500
              max_missing_fraction: 0.05
              max_duplicate_fraction: 0.01
            split: { by: time, test_fraction: 0.2 }
          - id: train
            kind: train
            needs: [prep]
            task: regression
            features: [season, temp, humidity]
            trainer: fast_tree
            options: { number_of_trees: 200, learning_rate: 0.1 }
            seed: 42
            incremental:
              strategy: window
              window: 7d
          - id: evaluate
            kind: evaluate
            needs: [train]
            gates:
              r_squared: { min: 0.7 }
              rmse: { max_increase: 0.05 }
          - id: deploy
            kind: deploy
            needs: [evaluate]
            alias: production
            model: bike-demand
          - id: monitor
            kind: monitor
            needs: [deploy]
            window: 1h
            drift: { method: psi, threshold: 0.2 }
            performance: { metric: rmse, max_increase: 0.2 }
          - id: retrain
            kind: retrain
            needs: [monitor]
            when: drift
            trigger: on-drift

        """;

    /// <summary>The shortest useful pipeline: every optional key left out.</summary>
    public const string Minimal = """
        version: 1
        name: churn
        data:
          source: { type: csv, path: data/churn.csv }
          label: churned
        steps:
          - id: prep
            kind: data_prep
          - id: train
            kind: train
            needs: [prep]
            task: binary
            trainer: fast_tree

        """;
}
