using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary><c>notify:</c> (webhooks and their events) and <c>retention:</c>: defaults, values, and mistakes with their position and fix.</summary>
public sealed partial class PipelineLoaderTests
{
    private static string WithTopLevel(string yaml) => SampleYaml.Complete + "\n" + yaml;

    [Test]
    public void LoadFile_NoNotifyNoRetention_NullSoTheHostDefaultsApply()
    {
        var spec = _workspace.Load(SampleYaml.Complete).Definition!.Spec;

        Assert.That(spec.Notify, Is.Null);
        Assert.That(spec.Retention, Is.Null);
    }

    [Test]
    public void LoadFile_Notify_WebhooksWithTheirEvents_AllEventsWhenOnIsLeftOut()
    {
        _workspace.Environment["TEAMS_HOOK"] = "https://example.webhook.office.com/webhookb2/abc";
        var result = _workspace.Load(WithTopLevel("""
            notify:
              - url: https://hooks.slack.com/services/T0/B0/secret
                on: [run_failed, gate_failed]
              - url: ${env:TEAMS_HOOK}
              - url: http://127.0.0.1:9000/hook
                on: model_deployed
            """));

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        var notify = result.Definition!.Spec.Notify!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notify.Select(n => n.Url.AbsoluteUri), Is.EqualTo(new[]
            {
                "https://hooks.slack.com/services/T0/B0/secret", "https://example.webhook.office.com/webhookb2/abc", "http://127.0.0.1:9000/hook",
            }));
            Assert.That(notify[0].Events, Is.EqualTo(new[] { NotifyEvent.RunFailed, NotifyEvent.GateFailed }));
            Assert.That(notify[1].Events, Is.EqualTo(Enum.GetValues<NotifyEvent>()));
            Assert.That(notify[2].Events, Is.EqualTo(new[] { NotifyEvent.ModelDeployed }));
        }
    }

    [Test]
    public void LoadFile_NotifyEmptyList_NoWebhooksNotTheDefault()
    {
        var result = _workspace.Load(WithTopLevel("notify: []"));

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(result.Definition!.Spec.Notify, Is.Empty);
    }

    [TestCase("notify:\n  - url: hooks.slack.com/x", @":3:10: error: notify\[0\]\.url: 'hooks.slack.com/x' is not an http or https URL; write the webhook's full address")]
    [TestCase("notify:\n  - url: ftp://example.com/x", @":3:10: error: notify\[0\]\.url: 'ftp://example.com/x' is not an http or https URL")]
    [TestCase("notify:\n  - on: [run_failed]", @":3:5: error: notify\[0\]\.url: missing required key 'url'")]
    [TestCase("notify:\n  - url: https://h.example/x\n    on: [run_faild]", @":4:10: error: notify\[0\]\.on\[0\]: unknown event 'run_faild'.*did you mean 'run_failed'\?$")]
    [TestCase("notify:\n  - url: https://h.example/x\n    on: [everything]", @":4:10: error: notify\[0\]\.on\[0\]: unknown event 'everything'; valid: run_failed, gate_failed, drift_found, waiting_for_approval, model_deployed")]
    [TestCase("notify:\n  - url: https://h.example/x\n    on: []", @":4:9: error: notify\[0\]\.on: an empty 'on' list sends nothing")]
    [TestCase("notify:\n  - url: https://h.example/x\n    events: [run_failed]", @":4:5: error: notify\[0\]\.events: unknown key 'events'")]
    [TestCase("notify: https://h.example/x", @":\d+:9: error: notify: expected a list")]
    [TestCase("retention:\n  keep_versions: 0", @":3:18: error: retention\.keep_versions: 0 is out of range; use a whole number from 1 to 100000")]
    [TestCase("retention:\n  keep_runs_for: 30", @":3:18: error: retention\.keep_runs_for: invalid duration '30'; use a positive number with s, m, h, d or w")]
    [TestCase("retention:\n  keep_aliased: 90d", @":3:3: error: retention\.keep_aliased: unknown key 'keep_aliased'.*did you mean 'keep_aliased_for'\?")]
    public void LoadFile_BadNotifyOrRetention_ErrorAtItsPositionWithTheFix(string yaml, string expected)
    {
        var lines = SampleYaml.Complete.Split('\n').Length;
        var errors = _workspace.Load(WithTopLevel(yaml)).Errors.Select(e => e.ToString()).ToList();

        // Positions are relative to where the snippet starts, after the sample's lines.
        var shifted = System.Text.RegularExpressions.Regex.Replace(expected, @"^:(\d+):", m => $":{int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + lines - 1}:");
        Assert.That(errors, Has.Some.Match("^pipeline\\.yaml" + (expected.StartsWith(@":\d+", StringComparison.Ordinal) ? expected : shifted)), string.Join("\n", errors));
    }

    [Test]
    public void LoadFile_Retention_ReadWithDefaultsForWhatIsLeftOut()
    {
        var result = _workspace.Load(WithTopLevel("retention: { keep_versions: 5, keep_runs_for: 2w }"));

        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(result.Definition!.Spec.Retention, Is.EqualTo(new RetentionSpec
        {
            KeepVersions = 5, KeepAliasedFor = TimeSpan.FromDays(90), KeepRunsFor = TimeSpan.FromDays(14),
        }));
    }
}
