namespace MlOpsOrchestrator.ML.SampleData;

/// <summary>
/// Trips ending at bike stations (events for a feature view keyed by <c>station_id</c>, timed by <c>ended_at</c>):
/// duration, rider type and the bikes left at the station. Hour after hour from the start, every station's trips of
/// that hour, in time order, until the rows asked for are written. Pairs with <see cref="StationRentalsGenerator"/>.
/// </summary>
public sealed class StationTripsGenerator : ISampleGenerator
{
    public string Name => "station-trips";
    public string Description => "trips ending at 20 bike stations (events for a feature view: station_id, ended_at, minutes, rider, bikes_available)";
    public string Header => "trip_id,station_id,ended_at,minutes,rider,bikes_available";

    public IEnumerable<string> Rows(SampleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var world = new StationWorld(settings.Seed);
        var random = new Random(settings.Seed);
        var bikes = Enumerable.Range(0, StationWorld.Stations).Select(_ => random.Next(5, 20)).ToArray();
        var written = 0;
        for (var hour = settings.Start; written < settings.Rows; hour += TimeSpan.FromHours(1))
        {
            var trips = new List<(DateTime At, int Station)>();
            for (var s = 0; s < StationWorld.Stations; s++)
            {
                var count = StationWorld.Poisson(random, world.Activity(s, hour));
                for (var i = 0; i < count; i++)
                {
                    trips.Add((hour.AddSeconds(random.Next(3600)), s));
                }
            }

            foreach (var (at, station) in trips.OrderBy(t => t.At).ThenBy(t => t.Station))
            {
                if (written == settings.Rows)
                {
                    yield break;
                }

                bikes[station] = Math.Clamp(bikes[station] + random.Next(-1, 3), 0, 25);
                var minutes = Math.Max(2, Csv.Gaussian(random, 14 + (3 * station % 7), 6));
                var minutesText = random.NextDouble() < settings.MissingFraction ? "" : Csv.Number(minutes, 1);
                written++;
                yield return string.Join(',', written, StationWorld.Station(station), Csv.Time(at), minutesText, random.Next(3) == 0 ? "casual" : "member", bikes[station]);
            }
        }
    }
}
