using MlOpsOrchestrator.ML.Data.Profiling;
namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The drift scores <c>monitor</c> computes, as pure functions of the training profile's fractions and the window's.
/// <list type="bullet">
/// <item><b>PSI</b> (population stability index) over the profile's fixed bins:
/// <c>Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ)</c>, <c>eᵢ</c> the training fraction and <c>aᵢ</c> the window fraction of bin
/// <c>i</c>. A fraction below <see cref="Epsilon"/> counts as <see cref="Epsilon"/> (without renormalising), so a bin
/// that is empty on one side gives a large, finite score instead of infinity.</item>
/// <item><b>Binned KS</b>: the two-sample Kolmogorov-Smirnov statistic <c>max |F_train − F_window|</c>, with both
/// cumulative distributions evaluated at the profile's bin edges only (the profile keeps bin fractions, not the
/// training sample). It never exceeds the exact KS statistic and equals it when the largest gap falls on an edge.</item>
/// <item><b>Categorical PSI</b>: PSI over the profile's most frequent categories plus one <c>other</c> bucket, which
/// holds the profile's share of all remaining categories and the window's share of every value not among the top
/// ones, categories never seen in training included.</item>
/// </list>
/// Missing values are left out on both sides: the fractions are of the values present.
/// </summary>
internal static class DriftStatistics
{
    /// <summary>The floor of a fraction in PSI: one in ten thousand.</summary>
    public const double Epsilon = 1e-4;

    /// <summary>PSI of two distributions over the same buckets.</summary>
    public static double Psi(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Count != actual.Count)
        {
            throw new ArgumentException($"{expected.Count} expected buckets but {actual.Count} actual ones", nameof(actual));
        }

        var psi = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            var e = Math.Max(expected[i], Epsilon);
            var a = Math.Max(actual[i], Epsilon);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    /// <summary>The binned two-sample KS statistic: the largest gap between the cumulative fractions at each bin's upper edge.</summary>
    public static double BinnedKs(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Count != actual.Count)
        {
            throw new ArgumentException($"{expected.Count} expected bins but {actual.Count} actual ones", nameof(actual));
        }

        double e = 0, a = 0, gap = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            e += expected[i];
            a += actual[i];
            gap = Math.Max(gap, Math.Abs(e - a));
        }

        return gap;
    }

    /// <summary>The window's fraction of values in each of the profile's bins (counted as the profile counted them); null without values.</summary>
    public static double[]? BinFractions(NumericProfile profile, IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var counts = new double[profile.BinFractions.Count];
        foreach (var value in values)
        {
            counts[profile.BinOf(value)]++;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] /= values.Count;
        }

        return counts;
    }

    /// <summary>
    /// The training and window fractions of the profile's top categories and of the <c>other</c> bucket (last); null
    /// when the window holds no value.
    /// </summary>
    public static (double[] Expected, double[] Actual)? CategoryFractions(CategoricalProfile profile, IReadOnlyDictionary<string, int> counts)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(counts);
        var total = counts.Values.Sum(c => (long)c);
        if (total == 0)
        {
            return null;
        }

        var expected = new double[profile.Top.Count + 1];
        var actual = new double[profile.Top.Count + 1];
        long listed = 0;
        for (var i = 0; i < profile.Top.Count; i++)
        {
            expected[i] = profile.Top[i].Fraction;
            var count = counts.GetValueOrDefault(profile.Top[i].Value);
            actual[i] = count / (double)total;
            listed += count;
        }

        expected[^1] = profile.OtherFraction;
        actual[^1] = (total - listed) / (double)total;
        return (expected, actual);
    }

    /// <summary>PSI of a numeric feature; null when the window has no value of it.</summary>
    public static double? NumericPsi(NumericProfile profile, IReadOnlyCollection<double> values) =>
        BinFractions(profile, values) is { } actual ? Psi(profile.BinFractions, actual) : null;

    /// <summary>Binned KS of a numeric feature; null when the window has no value of it.</summary>
    public static double? NumericKs(NumericProfile profile, IReadOnlyCollection<double> values) =>
        BinFractions(profile, values) is { } actual ? BinnedKs(profile.BinFractions, actual) : null;

    /// <summary>PSI of a categorical (or boolean) feature; null when the window has no value of it.</summary>
    public static double? CategoricalPsi(CategoricalProfile profile, IReadOnlyDictionary<string, int> counts) =>
        CategoryFractions(profile, counts) is { } f ? Psi(f.Expected, f.Actual) : null;
}
