using System.Globalization;
using System.Text;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.ML.Tests.Data;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Tests.Features;

/// <summary>
/// Trips (events) and rentals (label rows) of a few stations on a coarse clock, so that events share times with each
/// other, with label rows and with the edges of windows: every boundary rule of the join is exercised. Files are real
/// CSV files read by the product's readers; the view is loaded from YAML beside the pipeline.
/// </summary>
internal sealed class FeatureWorld : IDisposable
{
    public const string View = """
        version: 1
        kind: feature_view
        name: station_activity
        entity: station_id
        source: { type: csv, path: ../trips.csv }
        timestamp: ended_at
        features:
          trips_1h: { agg: count, window: 1h }
          trips_all: { agg: count }
          minutes_2h: { agg: sum, column: minutes, window: 2h }
          mean_minutes_1d: { agg: mean, column: minutes, window: 1d }
          min_minutes_3h: { agg: min, column: minutes, window: 3h }
          max_minutes_3h: { agg: max, column: minutes, window: 3h }
          riders_6h: { agg: distinct_count, column: rider, window: 6h }
          last_bikes: { agg: last, column: bikes }
          last_bikes_30m: { agg: last, column: bikes, window: 30m }
        ttl: 2h
        """;

    public const string Pipeline = """
        version: 1
        name: rentals
        data:
          source: { type: csv, path: rentals.csv }
          timestamp: ts
          label: rentals
          features: [station_activity:trips_1h, station_activity:trips_all, station_activity:minutes_2h, station_activity:mean_minutes_1d, station_activity:min_minutes_3h, station_activity:max_minutes_3h, station_activity:riders_6h, station_activity:last_bikes, station_activity:last_bikes_30m]
        steps:
          - { id: prep, kind: data_prep }
          - { id: train, kind: train, needs: prep, task: regression, trainer: fast_tree }
        """;

    public static readonly DateTime Start = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    public FeatureWorld()
    {
        Harness = new DataPrepHarness();
        Harness.Write("features/station_activity.yaml", View);
    }

    public DataPrepHarness Harness { get; }

    public List<Trip> Trips { get; } = [];

    public List<Rental> Rentals { get; } = [];

    /// <summary>Random trips and rentals; times are multiples of 10 minutes (and some one second later) over three days.</summary>
    public void Generate(int seed, int stations, int trips, int rentals)
    {
        var random = new Random(seed);
        string[] riders = ["ann", "bob", "cy", "dee", "eve"];
        for (var i = 0; i < trips; i++)
        {
            var at = Start.AddMinutes(10 * random.Next(0, 6 * 24 * 3)).AddSeconds(random.Next(4) == 0 ? 1 : 0);
            Trips.Add(new Trip(
                $"s{random.Next(stations)}",
                at,
                random.Next(10) == 0 ? null : Math.Round(random.NextDouble() * 60, 2),
                random.Next(8) == 0 ? null : riders[random.Next(riders.Length)],
                random.Next(6) == 0 ? null : random.Next(0, 30)));
        }

        for (var i = 0; i < rentals; i++)
        {
            Rentals.Add(new Rental($"s{random.Next(stations + 1)}", Start.AddMinutes(10 * random.Next(0, 6 * 24 * 3)), random.Next(50)));
        }
    }

    public void WriteFiles()
    {
        var trips = new StringBuilder("station_id,ended_at,minutes,rider,bikes\n");
        foreach (var trip in Trips)
        {
            trips.Append(CultureInfo.InvariantCulture, $"{trip.Station},{Iso(trip.At)},{trip.Minutes?.ToString("R", CultureInfo.InvariantCulture)},{trip.Rider},{trip.Bikes}\n");
        }

        var rentals = new StringBuilder("station_id,ts,rentals\n");
        foreach (var rental in Rentals)
        {
            rentals.Append(CultureInfo.InvariantCulture, $"{rental.Station},{Iso(rental.At)},{rental.Count}\n");
        }

        Harness.Write("trips.csv", trips.ToString());
        Harness.Write("rentals.csv", rentals.ToString());
    }

    public DataSpec Data() => Harness.Load(Pipeline).Spec.Data;

    public EventLogStore Logs(int chunk = 1 << 20) => new(Harness.Artifacts, TestSources.BuiltIn, chunk);

    /// <summary>Builds the training set and reads it back: one row per rental, the feature columns in order (null: missing).</summary>
    public async Task<(List<double?[]> Rows, TrainingSet Set)> BuildAsync(int chunk = 1 << 20, DateTimeOffset? asOf = null)
    {
        var (set, problem) = await new TrainingSetBuilder(TestSources.BuiltIn, Logs(chunk), chunk).BuildAsync(Data(), Harness.Progress.Add, CancellationToken.None, asOf);
        if (set is null)
        {
            throw new InvalidOperationException(problem);
        }

        var lines = File.ReadAllLines(set.Path);
        var rows = lines.Skip(1).Select(l => l.Split(',').Skip(3).Select(v => v.Length == 0 ? (double?)null : double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return (rows, set);
    }

    /// <summary>The features of one rental by the definition, event by event, with no cleverness.</summary>
    public double?[] BruteForce(Rental rental)
    {
        var t = rental.At;
        var mine = Trips.Select((trip, index) => (trip, index)).Where(x => x.trip.Station == rental.Station && x.trip.At <= t).ToList();
        List<(Trip trip, int index)> Window(TimeSpan span) => mine.Where(x => x.trip.At > t - span).ToList();
        double? Last(IEnumerable<(Trip trip, int index)> events)
        {
            var newest = events.Where(x => x.trip.Bikes is not null).OrderBy(x => x.trip.At).ThenBy(x => x.index).LastOrDefault();
            return newest.trip is null || t - newest.trip.At > TimeSpan.FromHours(2) ? null : newest.trip.Bikes;
        }

        var minutes3h = Window(TimeSpan.FromHours(3)).Where(x => x.trip.Minutes is not null).Select(x => x.trip.Minutes!.Value).ToList();
        var minutes1d = Window(TimeSpan.FromDays(1)).Where(x => x.trip.Minutes is not null).Select(x => x.trip.Minutes!.Value).ToList();
        return
        [
            Window(TimeSpan.FromHours(1)).Count,
            mine.Count,
            Window(TimeSpan.FromHours(2)).Where(x => x.trip.Minutes is not null).Sum(x => x.trip.Minutes!.Value),
            minutes1d.Count == 0 ? null : minutes1d.Average(),
            minutes3h.Count == 0 ? null : minutes3h.Min(),
            minutes3h.Count == 0 ? null : minutes3h.Max(),
            Window(TimeSpan.FromHours(6)).Where(x => x.trip.Rider is not null).Select(x => x.trip.Rider).Distinct().Count(),
            Last(mine),
            Last(Window(TimeSpan.FromMinutes(30))),
        ];
    }

    private static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public void Dispose() => Harness.Dispose();

    internal sealed record Trip(string Station, DateTime At, double? Minutes, string? Rider, int? Bikes);

    internal sealed record Rental(string Station, DateTime At, int Count);
}
