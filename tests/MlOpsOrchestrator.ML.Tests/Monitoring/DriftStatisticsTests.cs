using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Monitoring;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Monitoring;

[TestFixture]
public sealed class DriftStatisticsTests
{
    /// <summary>Deciles of the standard normal distribution.</summary>
    private static readonly double[] NormalDeciles = [-1.2815516, -0.8416212, -0.5244005, -0.2533471, 0, 0.2533471, 0.5244005, 0.8416212, 1.2815516];

    private static readonly NumericProfile StandardNormal = new(-4, 4, 0, 1, NormalDeciles, Enumerable.Repeat(0.1, 10).ToArray());

    // Hand-computed: Σ (a − e) · ln(a / e).
    [TestCase(new[] { 0.5, 0.5 }, new[] { 0.5, 0.5 }, 0.0)]
    [TestCase(new[] { 0.5, 0.5 }, new[] { 0.25, 0.75 }, 0.2746530722)] // −0.25·ln 0.5 + 0.25·ln 1.5
    [TestCase(new[] { 0.1, 0.3, 0.6 }, new[] { 0.3, 0.1, 0.6 }, 0.4394449155)] // 0.2·ln 3 − 0.2·ln(1/3)
    [TestCase(new[] { 0.5, 0.5, 0.0 }, new[] { 0.4, 0.4, 0.2 }, 1.5640491119)] // empty training bin: e = ε = 1e-4, so 0.1999·ln 2000
    [TestCase(new[] { 0.5, 0.5, 0.0 }, new[] { 0.5, 0.5, 0.0 }, 0.0)] // empty on both sides: ε against ε
    public void Psi_KnownFractions_MatchesTheHandComputedValue(double[] expected, double[] actual, double psi) =>
        Assert.That(DriftStatistics.Psi(expected, actual), Is.EqualTo(psi).Within(1e-9));

    [Test]
    public void Psi_IsSymmetric() =>
        Assert.That(DriftStatistics.Psi([0.2, 0.8], [0.6, 0.4]), Is.EqualTo(DriftStatistics.Psi([0.6, 0.4], [0.2, 0.8])).Within(1e-12));

    [Test]
    public void Psi_DifferentBucketCounts_Throws() =>
        Assert.That(() => DriftStatistics.Psi([0.5, 0.5], [1.0]), Throws.ArgumentException);

    // The largest gap between the cumulative fractions at the bins' upper edges.
    [TestCase(new[] { 0.25, 0.25, 0.25, 0.25 }, new[] { 0.25, 0.25, 0.25, 0.25 }, 0.0)]
    [TestCase(new[] { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 }, new[] { 0.2, 0.2, 0.2, 0.2, 0.2, 0.0, 0.0, 0.0, 0.0, 0.0 }, 0.5)]
    [TestCase(new[] { 0.5, 0.5 }, new[] { 0.0, 1.0 }, 0.5)]
    [TestCase(new[] { 0.2, 0.3, 0.5 }, new[] { 0.3, 0.4, 0.3 }, 0.2)] // cumulative 0.2/0.5/1 against 0.3/0.7/1
    [TestCase(new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 }, 1.0)] // disjoint
    public void BinnedKs_KnownCdfs_IsTheLargestGap(double[] expected, double[] actual, double ks) =>
        Assert.That(DriftStatistics.BinnedKs(expected, actual), Is.EqualTo(ks).Within(1e-12));

    [Test]
    public void BinFractions_CountsAsTheProfileDoes_ValuesOnAnEdgeBelongToTheLowerBin()
    {
        var profile = new NumericProfile(0, 10, 2, 1, [1.0, 2.0, 3.0], [0.25, 0.25, 0.25, 0.25]);

        var fractions = DriftStatistics.BinFractions(profile, [0.5, 1.0, 1.5, 2.5, 3.0, 10.0]);

        Assert.That(fractions, Is.EqualTo(new[] { 2 / 6.0, 1 / 6.0, 2 / 6.0, 1 / 6.0 }).Within(1e-12));
    }

    [Test]
    public void NumericScores_NoValues_AreNull()
    {
        Assert.That(DriftStatistics.NumericPsi(StandardNormal, []), Is.Null);
        Assert.That(DriftStatistics.NumericKs(StandardNormal, []), Is.Null);
    }

    [Test]
    public void NumericPsi_SameDistribution_IsNearZero()
    {
        var sample = Normal(5000, mean: 0, seed: 1);

        Assert.That(DriftStatistics.NumericPsi(StandardNormal, sample), Is.LessThan(0.01));
        Assert.That(DriftStatistics.NumericKs(StandardNormal, sample), Is.LessThan(0.03));
    }

    [Test]
    public void NumericScores_MeanShiftedByHalfASd_PsiAboveTheUsualThresholdAndKsAsComputed()
    {
        // For N(0.5, 1) against decile bins of N(0, 1): PSI = 0.2377 and KS = 2Φ(0.25) − 1 = 0.1974, the largest gap
        // being at 0, an edge, where the binned KS equals the exact one.
        var sample = Normal(5000, mean: 0.5, seed: 2);

        Assert.That(DriftStatistics.NumericPsi(StandardNormal, sample), Is.EqualTo(0.2377).Within(0.03).And.GreaterThan(0.2));
        Assert.That(DriftStatistics.NumericKs(StandardNormal, sample), Is.EqualTo(0.1974).Within(0.025));
    }

    [Test]
    public void NumericScores_MeanShiftedByOneSd_PsiAndKsAsComputed()
    {
        var sample = Normal(5000, mean: 1, seed: 3);

        Assert.That(DriftStatistics.NumericPsi(StandardNormal, sample), Is.EqualTo(0.9261).Within(0.08));
        Assert.That(DriftStatistics.NumericKs(StandardNormal, sample), Is.EqualTo(0.3829).Within(0.025));
    }

    [Test]
    public void CategoricalPsi_SameFrequencies_IsZero()
    {
        var profile = Categories(("a", 0.5), ("b", 0.3), ("c", 0.2));

        Assert.That(DriftStatistics.CategoricalPsi(profile, Counts(("a", 50), ("b", 30), ("c", 20))), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void CategoricalPsi_NewCategory_CountsInTheOtherBucket()
    {
        // Training: a 0.5, b 0.5, other 0. Window: a 0.4, b 0.4, and c (never seen) 0.2 in "other": 1.5640491 as above.
        var profile = Categories(("a", 0.5), ("b", 0.5));

        var fractions = DriftStatistics.CategoryFractions(profile, Counts(("a", 40), ("b", 40), ("c", 20)))!.Value;

        Assert.That(fractions.Expected, Is.EqualTo(new[] { 0.5, 0.5, 0.0 }));
        Assert.That(fractions.Actual, Is.EqualTo(new[] { 0.4, 0.4, 0.2 }).Within(1e-12));
        Assert.That(DriftStatistics.CategoricalPsi(profile, Counts(("a", 40), ("b", 40), ("c", 20))), Is.EqualTo(1.5640491119).Within(1e-9));
    }

    [Test]
    public void CategoricalPsi_RareCategoriesBeyondTheTop_ShareTheOtherBucketWithTheProfile()
    {
        // The profile kept a and b and lumped the rest (0.2) as other; the window's d and e are that other.
        var profile = Categories(0.2, ("a", 0.5), ("b", 0.3));

        Assert.That(DriftStatistics.CategoricalPsi(profile, Counts(("a", 50), ("b", 30), ("d", 15), ("e", 5))), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void CategoricalPsi_EmptyWindow_IsNull() =>
        Assert.That(DriftStatistics.CategoricalPsi(Categories(("a", 1.0)), Counts()), Is.Null);

    private static CategoricalProfile Categories(params (string Value, double Fraction)[] top) => Categories(0, top);

    private static CategoricalProfile Categories(double other, params (string Value, double Fraction)[] top) =>
        new(top.Length, [.. top.Select(t => new CategoryFrequency(t.Value, (int)(t.Fraction * 1000), t.Fraction))], other);

    private static Dictionary<string, int> Counts(params (string Value, int Count)[] counts) =>
        counts.ToDictionary(c => c.Value, c => c.Count, StringComparer.Ordinal);

    private static double[] Normal(int count, double mean, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
            mean + (Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Sin(2.0 * Math.PI * random.NextDouble())))];
    }
}
