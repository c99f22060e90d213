using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MlOpsOrchestrator.Docs.Tests;

/// <summary>
/// The CSV files the examples of docs/pipeline-yaml.md read, by file name. The validator reads only the header, so
/// one row is enough. The columns are those of the sample data under samples/ (docs/pipeline-yaml.md says which).
/// </summary>
internal static class DocData
{
    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["bike-rentals.csv"] =
            "ts,season,hour,weekday,holiday,weather,temp,humidity,windspeed,note,rentals\n"
            + "2025-01-01 00:00:00,winter,0,wed,true,clear,-3.1,0.582,0,concert downtown,0\n",
        ["bike-rentals-test.csv"] =
            "ts,season,hour,weekday,holiday,weather,temp,humidity,windspeed,note,rentals\n"
            + "2025-09-01 00:00:00,autumn,0,mon,false,clear,14.2,0.61,3,,12\n",
        ["customers.csv"] =
            "signup_ts,tenure_months,monthly_charges,contract,payment,support_calls,outages,last_note,churned\n"
            + "2025-01-01 00:00:00,7,60.36,monthly,card,2,0,no issues,no\n",
        ["customers-with-ids.csv"] =
            "customer_id,signup_ts,tenure_months,monthly_charges,contract,payment,support_calls,outages,last_note,churned\n"
            + "c00001,2025-01-01 00:00:00,7,60.36,monthly,card,2,0,no issues,no\n",
        ["tickets.csv"] =
            "created_ts,product,tier,attachments,subject,team\n"
            + "2025-01-01 00:00:00,fiber,business,1,cannot log in since yesterday,account\n",
        ["sensor-readings.csv"] =
            "2025-01-01 00:00:00;12.5;0.41;ok\n",
        ["station-rentals.csv"] =
            "station_id,ts,hour,weekday,temp,rentals\n"
            + "st-01,2025-03-03 00:00:00,0,mon,5.4,0\n",
    };

    /// <summary>The feature view of samples/feature-store, which examples with <c>data.features</c> name, over one trip.</summary>
    private const string StationActivity = """
        version: 1
        kind: feature_view
        name: station_activity
        entity: station_id
        source: { type: csv, path: ../data/station-trips.csv }
        timestamp: ended_at
        features:
          trips_1h:        { agg: count, window: 1h }
          mean_minutes_7d: { agg: mean, column: minutes, window: 7d }
          last_bikes:      { agg: last, column: bikes_available }
        ttl: 2d
        """;

    /// <summary>Writes every CSV file the pipeline <paramref name="json"/> reads, relative to <paramref name="folder"/>.</summary>
    public static void WriteFor(JsonNode? json, string folder)
    {
        foreach (var key in new[] { "source", "test_source" })
        {
            var source = json?["data"]?[key];
            if (source?["type"]?.GetValue<string>() != "csv" || source["path"]?.GetValue<string>() is not { } path)
            {
                continue;
            }

            var name = Path.GetFileName(path);
            if (!Files.TryGetValue(name, out var content))
            {
                Assert.Fail($"the example reads '{path}', which the docs tests do not know; use one of {string.Join(", ", Files.Keys)} or add it to {nameof(DocData)}");
            }

            var full = Path.GetFullPath(Path.Combine(folder, path));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        if (json?["data"]?["features"] is JsonArray)
        {
            // The view's folder sits beside the example, its events in the data folder the example reads from.
            Directory.CreateDirectory(Path.Combine(folder, "features"));
            Directory.CreateDirectory(Path.Combine(folder, "data"));
            File.WriteAllText(Path.Combine(folder, "features", "station_activity.yaml"), StationActivity);
            File.WriteAllText(Path.Combine(folder, "data", "station-trips.csv"),
                "trip_id,station_id,ended_at,minutes,rider,bikes_available\n1,st-01,2025-03-03 00:01:03,31,member,16\n");
        }
    }
}
