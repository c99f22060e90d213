using System.Globalization;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;

namespace MlOpsOrchestrator.Cli.Tests.Telemetry;

/// <summary>
/// Two small regression pipelines on the bike-rentals sample, each with one cron trigger (<c>once</c>) that fires a
/// few seconds after it is written and then only a year later: <c>tel-good</c> deploys and monitors (the window
/// crosses into a new season, so the monitor finds drift), <c>tel-gate</c> fails its r_squared gate.
/// </summary>
internal static class TelemetryPipelines
{
    public const string Good = "tel-good";

    public const string Gate = "tel-gate";

    public const string Trigger = "once";

    /// <summary>A row the deployed model scores.</summary>
    public const string Row = """{"ts":"2025-09-01 10:00:00","season":"summer","hour":10,"weekday":"mon","holiday":false,"weather":"clear","temp":21.5,"humidity":0.5,"windspeed":3,"note":"none"}""";

    /// <summary>The data root with the sample's data; the pipelines folder, empty until <see cref="Write"/>.</summary>
    public static string Prepare(TempFolder folder)
    {
        Directory.CreateDirectory(folder.Combine("data"));
        File.Copy(RepositoryPaths.Combine("samples", "bike-rentals", "data", "bike-rentals.csv"), folder.Combine("data", "bike-rentals.csv"));
        var pipelines = folder.Combine("pipelines");
        Directory.CreateDirectory(pipelines);
        return pipelines;
    }

    /// <summary>Writes the pipelines into the folder a running serve watches, firing <paramref name="delay"/> from now (UTC).</summary>
    public static DateTimeOffset Write(string pipelinesFolder, TimeSpan delay, params string[] names)
    {
        var at = DateTimeOffset.UtcNow + delay;
        // Seconds minutes hours day month, any weekday, this year to 2099: once now, next in a year.
        var cron = string.Create(CultureInfo.InvariantCulture, $"{at:ss mm HH dd MM} ? {at:yyyy}-2099");
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(pipelinesFolder, $"{name}.yaml"), Yaml(name, cron));
        }

        return at;
    }

    private static string Yaml(string name, string cron) => $$"""
        version: 1
        name: {{name}}
        data:
          source: { type: csv, path: ../data/bike-rentals.csv }
          timestamp: ts
          label: rentals
          schema:
            ts: { type: datetime }
            season: { type: categorical }
            weekday: { type: categorical }
            weather: { type: categorical }
            holiday: { type: boolean }
            temp: { type: float, range: [-30, 50] }
            humidity: { type: float, missing: mean }
            note: { type: text }
            rentals: { type: float, min: 0 }
        triggers:
          - id: {{Trigger}}
            cron: "{{cron}}"
        timezone: UTC
        steps:
          - { id: prep, kind: data_prep, split: { by: time, test_fraction: 0.2 } }
          - { id: train, kind: train, needs: [prep], task: regression, trainer: fast_tree, options: { number_of_trees: 20 } }
          - { id: evaluate, kind: evaluate, needs: [train], gates: { r_squared: { min: {{(name == Gate ? "0.999" : "0.3")}} } } }
          - { id: deploy, kind: deploy, needs: [evaluate] }
        {{(name == Gate ? "" : "  - { id: monitor, kind: monitor, needs: [deploy], window: 14d, drift: { method: psi, threshold: 0.2 }, reference: previous_window }")}}

        """;
}
