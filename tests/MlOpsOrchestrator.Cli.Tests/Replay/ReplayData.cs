using System.Globalization;
using System.Text;

namespace MlOpsOrchestrator.Cli.Tests.Replay;

/// <summary>
/// A small hourly regression stream for replay tests: demand follows temperature and the hour, and from
/// <see cref="DriftDay"/> on it doubles (a sudden drift the policy can catch and a static model cannot). Rows are a
/// pure function of the seed and the row's hour, so two files agree on every row that both have.
/// </summary>
internal static class ReplayData
{
    public static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public const int Days = 12;

    public const int DriftDay = 7;

    /// <summary>The CSV; rows at or after <paramref name="changeFrom"/> get other labels and features (the future, rewritten).</summary>
    public static string Csv(DateTime? changeFrom = null)
    {
        var text = new StringBuilder("ts,hour,temp,demand\n");
        for (var h = 0; h < Days * 24; h++)
        {
            var at = Start.AddHours(h);
            var random = new Random(h * 7919);
            var temp = 5 + (10 * Math.Sin(h / 24.0)) + (random.NextDouble() * 4);
            var demand = (3 * temp) + (at.Hour is >= 7 and <= 19 ? 20 : 0) + (random.NextDouble() * 5);
            if (at >= Start.AddDays(DriftDay))
            {
                demand *= 2;
            }

            if (changeFrom is { } change && at >= change)
            {
                temp = -temp;
                demand = 1000 - demand;
            }

            text.Append(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd HH:mm:ss},{at.Hour},{temp:0.###},{demand:0.###}\n");
        }

        return text.ToString();
    }

    /// <summary>A valid pipeline over the same data with a nightly full run but no <c>data.timestamp</c>.</summary>
    public const string NightlyPipelineWithoutTimestamp = """
        version: 1
        name: replay-undated
        data:
          source: { type: csv, path: data/stream.csv }
          label: demand
        triggers:
          - id: nightly
            cron: "0 0 6 * * ?"
        steps:
          - id: prep
            kind: data_prep
          - id: train
            kind: train
            needs: [prep]
            task: regression
            trainer: online_gradient_descent
          - id: evaluate
            kind: evaluate
            needs: [train]
          - id: deploy
            kind: deploy
            needs: [evaluate]
        """;

    /// <summary>A level-4 pipeline over <c>data/stream.csv</c>: an incremental run and a monitor every day, a full retrain on drift.</summary>
    public static string Pipeline() => """
        version: 1
        name: replay-stream
        data:
          source: { type: csv, path: data/stream.csv }
          timestamp: ts
          label: demand
          schema:
            ts: { type: datetime }
            hour: { type: categorical }
            temp: { type: float }
            demand: { type: float }
        triggers:
          - id: incremental
            cron: "0 0 6 * * ?"
            mode: incremental
            steps: [prep, train, evaluate, deploy]
          - id: watch
            cron: "0 30 6 * * ?"
            steps: [monitor, retrain]
          - id: on-drift
            on: drift
            mode: full
        steps:
          - id: prep
            kind: data_prep
            checks: { min_rows: 48 }
            split: { by: random, test_fraction: 0.2 }
          - id: train
            kind: train
            needs: [prep]
            task: regression
            trainer: online_gradient_descent
            options: { number_of_iterations: 10 }
            incremental: { strategy: warm_start }
          - id: evaluate
            kind: evaluate
            needs: [train]
            primary_metric: mae
            min_rows: 40                   # 12 days of hours: a full run's test set is 58 rows
            safety: false                  # every retrain is adopted, so the schedules differ in what they learn, not in what the gate keeps
          - id: deploy
            kind: deploy
            needs: [evaluate]
          - id: monitor
            kind: monitor
            needs: [deploy]
            window: 1d
            drift: { method: psi, threshold: 0.2 }
          - id: retrain
            kind: retrain
            needs: [monitor]
            when: drift
            trigger: on-drift
        """;
}
