namespace MlOpsOrchestrator.ML.SampleData;

/// <summary>
/// Hourly rentals per bike station (the label rows a pipeline joins feature view features to): at <c>ts</c>, the
/// rentals of the hour that follows, from the same activity as <see cref="StationTripsGenerator"/>. One row per
/// station and hour from the start, in time order.
/// </summary>
public sealed class StationRentalsGenerator : ISampleGenerator
{
    public string Name => "station-rentals";
    public string Description => "next-hour rentals per bike station (label rows for feature views: station_id, ts, hour, weekday, temp, rentals)";
    public string Header => "station_id,ts,hour,weekday,temp,rentals";

    public IEnumerable<string> Rows(SampleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var world = new StationWorld(settings.Seed);
        var random = new Random(settings.Seed + 1);
        var written = 0;
        for (var hour = settings.Start; ; hour += TimeSpan.FromHours(1))
        {
            var temp = 12 + (9 * Math.Sin(2 * Math.PI * (hour.DayOfYear - 110) / 365.0)) + (4 * Math.Sin(2 * Math.PI * (hour.Hour - 9) / 24.0)) + Csv.Gaussian(random, 0, 1.5);
            for (var s = 0; s < StationWorld.Stations; s++)
            {
                if (written++ == settings.Rows)
                {
                    yield break;
                }

                var rentals = StationWorld.Poisson(random, 0.9 * world.Activity(s, hour.AddHours(1)));
                yield return string.Join(',', StationWorld.Station(s), Csv.Time(hour), hour.Hour, hour.DayOfWeek.ToString().ToLowerInvariant()[..3], Csv.Number(temp, 1), rentals);
            }
        }
    }
}
