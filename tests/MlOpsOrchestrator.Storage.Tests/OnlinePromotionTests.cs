using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Feedback;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage.Tests.Support;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>
/// <c>promote_when</c> decided on real stores: the challenger is promoted only when better by enough on enough labels,
/// withdrawn when worse or when its time runs out, and every automatic move is in the alias history.
/// </summary>
[TestFixtureSource(typeof(StoreEngines), nameof(StoreEngines.All))]
public sealed class OnlinePromotionTests(StoreEngine engine) : StoreFixture(engine)
{
    private static readonly PromoteWhen Rule = new("rmse", 0.05, 40, TimeSpan.FromDays(7), new SourceMark(1, 1));

    private FakeTimeProvider _time = new(Sample.T0.AddHours(1));

    [SetUp]
    public void StartAnHourAfterTheCanaryMoved() => _time = new FakeTimeProvider(Sample.T0.AddHours(1));

    private IOnlinePromotion Promotion()
    {
        var models = IModelService.Create(Stores.Registry, _time, NullLogger<IModelService>.Instance);
        return IOnlinePromotion.Create(models, Stores.Registry, IOnlineMetrics.Create(Stores.Feedback, _time), _time, NullLogger<IOnlinePromotion>.Instance);
    }

    /// <summary>Production v1 and canary v2 (moved at T0), <paramref name="labelled"/> labelled answers each with the given absolute errors.</summary>
    private async Task<string> SeedAsync(double productionError, double canaryError, int labelled)
    {
        var model = Sample.Name("fare");
        await Stores.Registry.RegisterAsync(Sample.Model(model, "run-1"), CancellationToken.None);
        await Stores.Registry.RegisterAsync(Sample.Model(model, "run-2"), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(model, "production", 1, "deploy", null, Sample.T0.AddMinutes(-1), CancellationToken.None);
        await Stores.Registry.MoveAliasAsync(model, "canary", 2, "deploy", null, Sample.T0, CancellationToken.None);
        var answers = new List<PredictionRecord>();
        var labels = new List<FeedbackLabel>();
        for (var i = 0; i < 2 * labelled; i++)
        {
            var canary = i % 2 == 1;
            var error = (canary ? canaryError : productionError) * (i % 4 < 2 ? 1 : -1);
            answers.Add(new PredictionRecord(model, canary ? 2 : 1, Sample.T0.AddSeconds(i + 1), "{}",
                $"{{\"score\":{(100 + error).ToString(CultureInfo.InvariantCulture)}}}", 1, canary ? "canary" : "production", $"p{i}"));
            labels.Add(FeedbackLabel.ForPrediction($"p{i}", "100"));
        }

        await Stores.Predictions.AppendAsync(answers, CancellationToken.None);
        await Stores.Feedback.AddAsync(model, labels, "test", Sample.T0.AddMinutes(30), CancellationToken.None);
        return model;
    }

    private async Task<IReadOnlyList<AliasChange>> AutomaticMovesAsync(string model) =>
        [.. (await Stores.Registry.GetAliasHistoryAsync(model, CancellationToken.None)).Where(h => h.By == IOnlinePromotion.By)];

    [Test]
    public async Task JudgeAsync_CanaryBetterByEnough_MovesProductionAndWithdrawsTheCanary_BothAudited()
    {
        var model = await SeedAsync(productionError: 2, canaryError: 1, labelled: 40);

        var verdict = await Promotion().JudgeAsync(new PromotionRule("p", model, "canary", Rule), CancellationToken.None);

        Assert.That(verdict.Outcome, Is.EqualTo(PromotionOutcome.Promoted), verdict.Reason);
        Assert.That(await Stores.Registry.GetAliasesAsync(model, CancellationToken.None), Is.EqualTo(new Dictionary<string, int> { ["production"] = 2 }));
        var moves = await AutomaticMovesAsync(model);
        Assert.That(moves.Select(m => (m.Alias, m.Version, m.PreviousVersion, m.Removed)), Is.EqualTo(new[] { ("production", 2, (int?)1, false), ("canary", 2, 2, true) }));
        Assert.That(moves[0].Reason, Does.StartWith("promote: canary v2 rmse 1 vs production v1 2 (50% better, needs 5%) on 40 and 40 labelled requests since"));
    }

    [Test]
    public async Task JudgeAsync_CanaryWorse_WithdrawnAndNeverPromoted()
    {
        var model = await SeedAsync(productionError: 1, canaryError: 1.5, labelled: 40);

        var verdict = await Promotion().JudgeAsync(new PromotionRule("p", model, "canary", Rule), CancellationToken.None);

        Assert.That(verdict.Outcome, Is.EqualTo(PromotionOutcome.Withdrawn), verdict.Reason);
        Assert.That(await Stores.Registry.GetAliasesAsync(model, CancellationToken.None), Is.EqualTo(new Dictionary<string, int> { ["production"] = 1 }));
        var moves = await AutomaticMovesAsync(model);
        Assert.That(moves.Select(m => (m.Alias, m.Removed)), Is.EqualTo(new[] { ("canary", true) }));
        Assert.That(moves[0].Reason, Does.StartWith("withdraw: worse than production: canary v2 rmse 1.5 vs production v1 1 (-50% better"));
    }

    [TestCase(39, 2.0, 1.0, "waiting for labels: 39 and 39 labelled requests of 40 needed")]
    [TestCase(40, 1.0, 0.98, "not better by enough yet: canary v2 rmse 0.98 vs production v1 1 (2% better, needs 5%)")]
    public async Task JudgeAsync_TooFewLabelsOrNotBetterByEnough_WaitsThenIsWithdrawnWhenWithinPasses(int labelled, double productionError, double canaryError, string waiting)
    {
        var model = await SeedAsync(productionError, canaryError, labelled);
        var rule = new PromotionRule("p", model, "canary", Rule);

        var first = await Promotion().JudgeAsync(rule, CancellationToken.None);
        var unmoved = await Stores.Registry.GetAliasesAsync(model, CancellationToken.None);
        _time.SetUtcNow(Sample.T0.AddDays(7));
        var last = await Promotion().JudgeAsync(rule, CancellationToken.None);

        Assert.That((first.Outcome, last.Outcome), Is.EqualTo((PromotionOutcome.Waiting, PromotionOutcome.Withdrawn)), $"{first.Reason} / {last.Reason}");
        Assert.That(first.Reason, Does.StartWith(waiting));
        Assert.That(unmoved, Is.EqualTo(new Dictionary<string, int> { ["production"] = 1, ["canary"] = 2 }));
        Assert.That(await Stores.Registry.GetAliasesAsync(model, CancellationToken.None), Is.EqualTo(new Dictionary<string, int> { ["production"] = 1 }));
        Assert.That((await AutomaticMovesAsync(model)).Single().Reason, Does.StartWith("withdraw: no win within 7d: "));
    }

    [Test]
    public async Task JudgeAsync_NoChallengerAlias_WaitsAndMovesNothing()
    {
        var model = await SeedAsync(productionError: 2, canaryError: 1, labelled: 40);
        await Stores.Registry.RemoveAliasAsync(model, "canary", "alice", null, Sample.T0.AddMinutes(5), CancellationToken.None);

        var verdict = await Promotion().JudgeAsync(new PromotionRule("p", model, "canary", Rule), CancellationToken.None);

        Assert.That((verdict.Outcome, verdict.Reason), Is.EqualTo((PromotionOutcome.Waiting, "no 'canary' alias to judge")));
        Assert.That(await AutomaticMovesAsync(model), Is.Empty);
    }
}
