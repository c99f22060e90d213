namespace MlOpsOrchestrator.ML.SampleData;

/// <summary>
/// The bike stations both <see cref="StationTripsGenerator"/> and <see cref="StationRentalsGenerator"/> describe: per
/// station and hour an activity level (the station's size, the commute peaks, and a busy-or-quiet factor per station
/// and day that no calendar column reveals). Trips are drawn from it, and so are next-hour rentals, so recent trips of
/// a station predict its rentals better than the hour of day alone. Deterministic for a seed.
/// </summary>
internal sealed class StationWorld(int seed)
{
    public const int Stations = 20;

    public static string Station(int index) => $"st-{index + 1:00}";

    /// <summary>Expected trips ending at <paramref name="station"/> in the hour starting at <paramref name="hour"/>.</summary>
    public double Activity(int station, DateTime hour)
    {
        var size = 1.5 + (6.0 * Fraction(station, 0, 1));
        var h = hour.Hour + 0.5;
        var weekend = hour.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var profile = weekend
            ? 0.25 + (1.1 * Math.Exp(-Math.Pow(h - 14, 2) / 10))
            : 0.2 + (1.3 * Math.Exp(-Math.Pow(h - 8, 2) / 3)) + (1.1 * Math.Exp(-Math.Pow(h - 17.5, 2) / 4));
        var day = (int)(hour.Date - DateTime.UnixEpoch).TotalDays;
        var busy = Math.Exp(0.45 * Normal(station, day, 2));
        var spell = Math.Exp(0.3 * Normal(station, (day * 24) + (hour.Hour / 6), 3));
        return size * profile * busy * spell;
    }

    /// <summary>A Poisson draw with mean <paramref name="mean"/> (Knuth; means here stay small).</summary>
    public static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }

    private double Normal(int station, long slot, int stream)
    {
        var u1 = 1.0 - Fraction(station, slot, stream);
        var u2 = Fraction(station, slot, stream + 100);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A uniform number in [0, 1) fixed by its inputs (SplitMix64), so both generators see the same world.</summary>
    private double Fraction(int station, long slot, int stream)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)station << 48) ^ ((ulong)stream << 40) ^ (ulong)slot;
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
