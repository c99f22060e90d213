using System.Globalization;
using System.Text;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The smallest real pipeline: one <c>data_prep</c> step over a 40-row CSV (the product has no no-op step kind, and
/// <c>data_prep</c> is the only step that needs nothing before it). Used where the orchestration is measured, not ML.
/// </summary>
internal static class TinyPipeline
{
    public const string DataFile = "tiny.csv";

    public const string TriggerId = "tick";

    /// <summary>Writes <c>data/tiny.csv</c> under <paramref name="root"/>: a timestamp, two features and a numeric label.</summary>
    public static void WriteData(string root)
    {
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var csv = new StringBuilder("ts,x,kind,y\n");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 40; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{start.AddHours(i):yyyy-MM-dd HH:mm:ss},{i * 0.5:0.0},{(i % 2 == 0 ? "a" : "b")},{i * 1.5 + 3:0.0}\n");
        }

        File.WriteAllText(Path.Combine(data, DataFile), csv.ToString());
    }

    /// <summary>A pipeline file in <c>ROOT/pipelines</c>; <paramref name="cron"/> null: no trigger (started through the API or <c>RunStarter</c>).</summary>
    public static string Yaml(string name, string? cron)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $$"""
            version: 1
            name: {{name}}
            data:
              source: { type: csv, path: ../data/{{DataFile}} }
              timestamp: ts
              label: y
              schema:
                ts: { type: datetime }
                x: { type: float }
                kind: { type: categorical }
                y: { type: float }
            timezone: UTC
            concurrency: skip

            """);
        if (cron is not null)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"triggers:\n  - id: {TriggerId}\n    cron: \"{cron}\"\n");
        }

        yaml.Append("""
            steps:
              - id: prep
                kind: data_prep

            """);
        return yaml.ToString();
    }
}
