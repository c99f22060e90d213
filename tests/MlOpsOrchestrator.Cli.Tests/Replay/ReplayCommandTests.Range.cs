using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Replay;

/// <summary>The replay's default range: from the first timestamp plus what the first full run needs, to the newest row.</summary>
public sealed partial class ReplayCommandTests
{
    [Test]
    public async Task Replay_NoRange_FromTheHundredthRowToTheNewest()
    {
        // checks.min_rows 48 and a 1-day monitor window: the 100th hourly row comes later than either.
        var (_, json) = await ReplayJsonAsync("--baseline", "static");

        Assert.Multiple(() =>
        {
            Assert.That(json["from"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(ReplayData.Start.AddHours(99))));
            Assert.That(json["to"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(ReplayData.Start.AddDays(ReplayData.Days).AddHours(-1))));
        });
    }

    [TestCase("checks: { min_rows: 48 }", "checks: { min_rows: 150 }", "window: 1d", 149, TestName = "Replay_NoFrom_AtTheRowThatMakesMinRows")]
    [TestCase("checks: { min_rows: 48 }", "checks: { min_rows: 48 }", "window: 7d", 7 * 24, TestName = "Replay_NoFrom_ALargerMonitorWindowAfterTheFirstRow")]
    public async Task Replay_NoFrom_StartsWhenTheFirstFullRunHasWhatItNeeds(string checks, string newChecks, string window, int hours)
    {
        _folder.Write("pipeline.yaml", ReplayData.Pipeline()
            .Replace(checks, newChecks, StringComparison.Ordinal)
            .Replace("window: 1d", window, StringComparison.Ordinal));

        var (_, json) = await ReplayJsonAsync("--baseline", "static");

        Assert.That(json["from"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(ReplayData.Start.AddHours(hours))));
    }
}
