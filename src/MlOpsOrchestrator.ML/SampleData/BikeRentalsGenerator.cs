namespace MlOpsOrchestrator.ML.SampleData;

/// <summary>
/// Hourly bike rentals (regression): daily and weekly cycles, seasons, weather, noise and missing humidity. After the
/// drift point a new e-bike fleet makes demand less sensitive to cold and rain and raises evening demand.
/// </summary>
public sealed class BikeRentalsGenerator : ISampleGenerator
{
    private static readonly string[] Weather = ["clear", "cloudy", "mist", "rain", "snow"];
    private static readonly string[] Notes = ["", "", "", "", "street fair nearby", "road works on the main avenue", "concert downtown", "station maintenance"];

    public string Name => "bike-rentals";
    public string Description => "hourly bike rentals (regression, label 'rentals'; seasonality, weather, text notes, drift)";
    public string Header => "ts,season,hour,weekday,holiday,weather,temp,humidity,windspeed,note,rentals";

    public IEnumerable<string> Rows(SampleSettings settings)
    {
        var random = new Random(settings.Seed);
        for (var i = 0; i < settings.Rows; i++)
        {
            var time = settings.Start + (settings.Step * i);
            var drifted = settings.DriftAt is { } drift && time >= drift;
            var season = (time.Month % 12 / 3) switch { 0 => "winter", 1 => "spring", 2 => "summer", _ => "autumn" };
            var yearPhase = 2 * Math.PI * (time.DayOfYear - 110) / 365.0;
            var temp = 12 + (11 * Math.Sin(yearPhase)) + (4 * Math.Sin(2 * Math.PI * (time.Hour - 9) / 24.0)) + Csv.Gaussian(random, 0, 2.5);
            var weather = temp < 1 && random.NextDouble() < 0.3 ? "snow" : Weather[Math.Min(3, (int)Math.Abs(Csv.Gaussian(random, 0, 1.2)))];
            var humidity = Math.Clamp(0.55 + (weather is "rain" or "mist" ? 0.25 : 0) + Csv.Gaussian(random, 0, 0.08), 0.1, 1.0);
            var wind = Math.Max(0, Csv.Gaussian(random, 12, 6));
            var holiday = (time.Month == 12 && time.Day is 25 or 26) || (time.Month == 1 && time.Day == 1) || (time.Month == 5 && time.Day == 1);
            var weekend = time.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var note = Csv.Pick(random, Notes);

            double commute = !weekend && !holiday ? (Bump(time.Hour, 8, 1.2) + Bump(time.Hour, 17.5, 1.5)) * 260 : 0;
            double leisure = (weekend || holiday ? 1.6 : 0.7) * Bump(time.Hour, 14, 3.5) * 140;
            double evening = drifted ? Bump(time.Hour, 21, 1.6) * 120 : 0;
            var coldPenalty = Math.Max(0, 16 - temp) * (drifted ? 3 : 9);
            var weatherFactor = weather switch
            {
                "rain" => drifted ? 0.8 : 0.45,
                "snow" => drifted ? 0.6 : 0.25,
                "mist" => 0.85,
                _ => 1.0,
            };
            var events = note.Contains("fair", StringComparison.Ordinal) || note.Contains("concert", StringComparison.Ordinal) ? 60 : 0;
            var rentals = ((25 + commute + leisure + evening - coldPenalty) * weatherFactor) + events - (wind * 1.5) + Csv.Gaussian(random, 0, 18);
            rentals = Math.Max(0, Math.Round(rentals));

            var humidityText = random.NextDouble() < settings.MissingFraction ? "" : Csv.Number(humidity, 3);
            yield return string.Join(',',
                Csv.Time(time), season, time.Hour, time.DayOfWeek.ToString().ToLowerInvariant()[..3], holiday ? "true" : "false",
                weather, Csv.Number(temp, 1), humidityText, Csv.Number(wind, 1), Csv.Text(note), Csv.Number(rentals, 0));
        }
    }

    private static double Bump(double hour, double center, double width) => Math.Exp(-Math.Pow((hour - center) / width, 2));
}
