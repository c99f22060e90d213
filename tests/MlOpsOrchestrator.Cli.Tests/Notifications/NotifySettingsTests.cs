using MlOpsOrchestrator.Cli.Hosting;
using MlOpsOrchestrator.Cli.Notifications;
using MlOpsOrchestrator.Cli.Retention;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Notifications;

/// <summary>
/// The host-wide defaults read from the environment (<c>MLOPS_NOTIFY_WEBHOOKS</c>, <c>MLOPS_NOTIFY_EVENTS</c>,
/// <c>MLOPS_PUBLIC_URL</c>, <c>MLOPS_RETENTION</c>): what they mean, and problems that say what to write without
/// showing a webhook's address.
/// </summary>
public sealed class NotifySettingsTests
{
    [Test]
    public void FromEnvironment_WebhooksEventsAndPublicUrl_Read()
    {
        var settings = NotifySettings.FromEnvironment(Variables(
            ("MLOPS_NOTIFY_WEBHOOKS", "https://hooks.slack.com/services/T/B/x, https://example.webhook.office.com/y"),
            ("MLOPS_NOTIFY_EVENTS", "run_failed;gate_failed"),
            ("MLOPS_PUBLIC_URL", "https://mlops.example.com/")), out var problems);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Is.Empty);
            Assert.That(settings.Webhooks.Select(w => w.Url.Host), Is.EqualTo(new[] { "hooks.slack.com", "example.webhook.office.com" }));
            Assert.That(settings.Webhooks.Select(w => w.Events), Is.All.EqualTo(new[] { NotifyEvent.RunFailed, NotifyEvent.GateFailed }));
            Assert.That(settings.RunPage("r-1")?.AbsoluteUri, Is.EqualTo("https://mlops.example.com/hangfire/runs/r-1"));
        }
    }

    [Test]
    public void FromEnvironment_BadEntries_ProblemsSayWhatToWriteAndNeverShowTheAddress()
    {
        NotifySettings.FromEnvironment(Variables(
            ("MLOPS_NOTIFY_WEBHOOKS", "hooks.slack.com/services/T/B/sEcReT"), ("MLOPS_NOTIFY_EVENTS", "run_fail"), ("MLOPS_PUBLIC_URL", "mlops")), out var problems);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Has.Count.EqualTo(3));
            Assert.That(problems, Has.One.Contains("'run_fail' in MLOPS_NOTIFY_EVENTS is not an event; use run_failed, gate_failed"));
            Assert.That(problems, Has.One.Contains("entry 1 of MLOPS_NOTIFY_WEBHOOKS is not an http or https URL"));
            Assert.That(problems, Has.One.Contains("MLOPS_PUBLIC_URL 'mlops' is not an http or https URL"));
            Assert.That(problems, Has.None.Contains("sEcReT"));
        }
    }

    [TestCase("http://127.0.0.1:5080", "http://127.0.0.1:5080/hangfire/runs/r-1")]
    [TestCase("http://127.0.0.1:0", null)]
    [TestCase("http://0.0.0.0:8080", null)]
    public void HostNotifications_ServeWithoutPublicUrl_LinksToItsOwnAddressWhenABrowserCanOpenIt(string url, string? expected)
    {
        var settings = new MlOpsHostSettings { Role = HostRole.Serve, Home = "h", DataRoot = "d", PipelinesFolder = "p", Urls = [url] };

        Assert.That(settings.Notifications().RunPage("r-1")?.AbsoluteUri, Is.EqualTo(expected));
    }

    [Test]
    public void Validate_BadNotifyAndRetentionVariables_ListedWithTheOtherProblems()
    {
        var settings = new MlOpsHostSettings
        {
            Role = HostRole.Serve, Home = Path.GetTempPath(), DataRoot = Path.GetTempPath(), PipelinesFolder = Path.GetTempPath(),
            NotifyProblems = ["entry 1 of MLOPS_NOTIFY_WEBHOOKS is not an http or https URL"],
            RetentionProblem = "MLOPS_RETENTION: 'keep=3' is not a retention setting",
        };

        Assert.That(MlOpsHostSettingsValidator.Validate(settings), Is.EquivalentTo(new[] { settings.NotifyProblems[0], settings.RetentionProblem }));
    }

    [TestCase("keep_versions=5,keep_runs_for=2w", 5, 90, 14, null)]
    [TestCase("", 20, 90, 30, null)]
    [TestCase("keep_versions=0", 20, 90, 30, "MLOPS_RETENTION: 'keep_versions=0' is not a retention setting; write keep_versions=N (1 to 100000)")]
    [TestCase("keep_aliased_for=90", 20, 90, 30, "'keep_aliased_for=90' is not a retention setting")]
    public void RetentionDefaults_FromEnvironment(string text, int versions, int aliasedDays, int runsDays, string? problem)
    {
        var spec = RetentionDefaults.FromEnvironment(Variables(("MLOPS_RETENTION", text)), out var why);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec, Is.EqualTo(new RetentionSpec { KeepVersions = versions, KeepAliasedFor = TimeSpan.FromDays(aliasedDays), KeepRunsFor = TimeSpan.FromDays(runsDays) }));
            Assert.That(why, problem is null ? Is.Null : Does.Contain(problem));
        }
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;
}
