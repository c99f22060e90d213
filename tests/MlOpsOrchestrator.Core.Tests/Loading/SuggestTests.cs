using MlOpsOrchestrator.Loading;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

[TestFixture]
public sealed class SuggestTests
{
    private static readonly string[] StepIds = ["prep", "train", "evaluate", "deploy"];

    [TestCase("train", "train", 0)]
    [TestCase("trian", "train", 1)]
    [TestCase("tran", "train", 1)]
    [TestCase("trains", "train", 1)]
    [TestCase("trxin", "train", 1)]
    [TestCase("neds", "needs", 1)]
    [TestCase("", "abc", 3)]
    [TestCase("abc", "", 3)]
    [TestCase("kitten", "sitting", 3)]
    [TestCase("ca", "abc", 3)]
    public void Distance_Pair_IsOptimalStringAlignmentDistance(string a, string b, int distance)
    {
        Assert.That(Suggest.Distance(a, b), Is.EqualTo(distance));
    }

    [TestCase("trian", "train")]
    [TestCase("TRAIN", "train")]
    [TestCase("prpe", "prep")]
    [TestCase("evalute", "evaluate")]
    [TestCase("evaluation", "evaluate")]
    [TestCase("deplyo", "deploy")]
    public void Closest_CloseTypo_ReturnsTheCandidate(string typed, string expected)
    {
        Assert.That(Suggest.Closest(typed, StepIds), Is.EqualTo(expected));
    }

    [TestCase("xyz")]
    [TestCase("monitor")]
    [TestCase("")]
    public void Closest_NothingWithinTheThreshold_ReturnsNull(string typed)
    {
        Assert.That(Suggest.Closest(typed, StepIds), Is.Null);
    }

    [TestCase("ab", "xy", true)]
    [TestCase("ab", "xyz", false)]
    [TestCase("abcdefghi", "abcdefxyz", true)]
    [TestCase("abcdefghi", "abcdewxyz", false)]
    public void Closest_Threshold_IsTwoOrAThirdOfTheTypedLength(string typed, string candidate, bool suggested)
    {
        Assert.That(Suggest.Closest(typed, [candidate]), suggested ? Is.EqualTo(candidate) : Is.Null);
    }

    [Test]
    public void Closest_Tie_FirstCandidateWins()
    {
        Assert.That(Suggest.Closest("cat", ["bat", "hat"]), Is.EqualTo("bat"));
    }

    [Test]
    public void Hint_CloseTypo_AsksDidYouMean()
    {
        Assert.That(Suggest.Hint("trian", StepIds), Is.EqualTo("; did you mean 'train'?"));
    }

    [Test]
    public void Hint_NothingClose_ListsEveryValidValue()
    {
        Assert.That(Suggest.Hint("monitor", StepIds), Is.EqualTo("; valid: prep, train, evaluate, deploy"));
    }

    [Test]
    public void Hint_NoCandidates_IsEmpty()
    {
        Assert.That(Suggest.Hint("monitor", []), Is.Empty);
    }
}
