using System.Globalization;
using System.Text;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// The replay benchmark's generated stream: two years of hourly demand from 2023-01-01 with a recurring yearly season
/// (temperature and demand follow it every year), a sudden drift (from 1 September 2023 a price rise halves how much a
/// promotion lifts demand and adds a fixed 40 % to evening demand) and a gradual drift (over March to June 2024 the
/// effect of temperature reverses, a little more each day). Every row is a function of the seed and its hour.
/// </summary>
internal static class DriftStream
{
    public static readonly DateTime Start = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime SuddenAt = new(2023, 9, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime GradualFrom = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime GradualTo = new(2024, 7, 1, 0, 0, 0, DateTimeKind.Utc);

    public static string Csv(int days = 731, int seed = 11)
    {
        var text = new StringBuilder("ts,hour,weekday,temp,price,promo,demand\n");
        var random = new Random(seed);
        for (var h = 0; h < days * 24; h++)
        {
            var at = Start.AddHours(h);
            var season = Math.Sin(2 * Math.PI * (at.DayOfYear - 100) / 365.25); // warm in summer, every year
            var temp = 12 + (12 * season) + (4 * Math.Sin(2 * Math.PI * at.Hour / 24)) + Normal(random, 2);
            var promo = random.NextDouble() < 0.15;
            var price = 10 + (at >= SuddenAt ? 3 : 0) + Normal(random, 0.5);
            var daily = at.Hour switch { >= 7 and <= 9 => 60, >= 16 and <= 19 => 70, >= 0 and <= 5 => 5, _ => 30 };
            var weekend = at.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.7 : 1.0;
            var gradual = at < GradualFrom ? 0 : at >= GradualTo ? 1 : (at - GradualFrom).TotalHours / (GradualTo - GradualFrom).TotalHours;
            var tempEffect = (1 - (2 * gradual)) * 2.5 * (temp - 12);
            var demand = (daily * weekend) + tempEffect + (40 * season) + 80 - (3 * (price - 10));
            demand += promo ? (at >= SuddenAt ? 15 : 30) : 0;
            if (at >= SuddenAt && at.Hour is >= 17 and <= 22)
            {
                demand *= 1.4;
            }

            demand = Math.Max(0, demand + Normal(random, 8));
            text.Append(CultureInfo.InvariantCulture,
                $"{at:yyyy-MM-dd HH:mm:ss},{at.Hour},{at.DayOfWeek.ToString()[..3].ToLowerInvariant()},{temp:0.##},{price:0.##},{(promo ? "true" : "false")},{demand:0.#}\n");
        }

        return text.ToString();
    }

    private static double Normal(Random random, double sigma) =>
        sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
