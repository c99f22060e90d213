namespace MlOpsOrchestrator.ML.Tests.Incremental;

/// <summary>The pipelines of the incremental tests: the shipped generators' data with data_prep → train → evaluate → deploy.</summary>
internal static class Pipelines
{
    public const string ChurnFile = "churn.csv";
    public const string BikesFile = "bikes.csv";
    public const string TicketsFile = "tickets.csv";

    /// <summary>Customer churn (binary). <paramref name="train"/> is extra keys of the train step (e.g. its <c>incremental:</c>).</summary>
    /// <paramref name="evaluate"/> is extra keys of the evaluate step (e.g. <c>safety: false</c>).
    public static string Churn(string trainer = "lbfgs_logistic_regression", string train = "incremental: { strategy: warm_start }", string gates = "", string evaluate = "") => $$"""
        version: 1
        name: churn
        data:
          source: { type: csv, path: {{ChurnFile}} }
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
            split: { by: time, test_fraction: 0.2 }
          - id: train
            kind: train
            needs: [prep]
            task: binary
            trainer: {{trainer}}
        {{Indent(train, 4)}}
          - id: evaluate
            kind: evaluate
            needs: [train]
        {{Indent(gates.Length == 0 ? "" : "gates:\n" + Indent(gates, 2), 4)}}
        {{Indent(evaluate, 4)}}
          - id: deploy
            kind: deploy
            needs: [evaluate]
        """;

    /// <summary>Hourly bike rentals (regression); <paramref name="trains"/> is the whole list of train steps after prep, evaluated together.</summary>
    public static string Bikes(string trains, string needs) => $$"""
        version: 1
        name: bikes
        data:
          source: { type: csv, path: {{BikesFile}} }
          timestamp: ts
          label: rentals
          schema:
            ts: { type: datetime }
            season: { type: categorical }
            hour: { type: int }
            weekday: { type: categorical }
            holiday: { type: boolean }
            weather: { type: categorical }
            temp: { type: float }
            humidity: { type: float, missing: mean }
            windspeed: { type: float }
            note: { type: text }
            rentals: { type: float, min: 0 }
        steps:
          - id: prep
            kind: data_prep
            split: { by: time, test_fraction: 0.2 }
        {{Indent(trains, 2)}}
          - id: evaluate
            kind: evaluate
            needs: [{{needs}}]
            primary_metric: rmse
          - id: deploy
            kind: deploy
            needs: [evaluate]
        """;

    /// <summary>One regression train step for <see cref="Bikes"/>.</summary>
    public static string BikeTrain(string id, string trainer, string incremental) => $"""
        - id: {id}
          kind: train
          needs: [prep]
          task: regression
          trainer: {trainer}
          incremental: {incremental}
        """;

    /// <summary>Support tickets (multiclass).</summary>
    public static string Tickets(string trainer) => $$"""
        version: 1
        name: tickets
        data:
          source: { type: csv, path: {{TicketsFile}} }
          timestamp: created_ts
          label: team
          schema:
            created_ts: { type: datetime }
            product: { type: categorical }
            tier: { type: categorical }
            attachments: { type: int }
            subject: { type: text }
            team: { type: categorical }
        steps:
          - id: prep
            kind: data_prep
            split: { by: time, test_fraction: 0.2 }
          - id: train
            kind: train
            needs: [prep]
            task: multiclass
            trainer: {{trainer}}
            incremental: { strategy: warm_start }
          - id: evaluate
            kind: evaluate
            needs: [train]
          - id: deploy
            kind: deploy
            needs: [evaluate]
        """;

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(line => line.Length == 0 ? line : new string(' ', spaces) + line));
}
