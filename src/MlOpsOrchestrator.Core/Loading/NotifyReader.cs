using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>Reads <c>notify:</c>, a list of webhooks <c>{ url, on: [events] }</c>; every mistake names its position and the fix.</summary>
internal sealed class NotifyReader(ReadContext context)
{
    private static readonly string[] Keys = ["url", "on"];

    public IReadOnlyList<NotifySpec>? Read(Fields top)
    {
        if (!top.Has("notify"))
        {
            return null;
        }

        var sequence = top.Sequence("notify");
        if (sequence is null)
        {
            return [];
        }

        var hooks = new List<NotifySpec>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var hook = context.Open(sequence.Items[i], $"notify[{i}]", Keys, "a webhook (url, on)");
            if (hook is not null && Read(hook, context.Errors) is { } spec)
            {
                hooks.Add(spec);
            }
        }

        return hooks;
    }

    private static NotifySpec? Read(Fields hook, ErrorSink errors)
    {
        var text = hook.String("url", required: true);
        Uri? url = null;
        if (text is not null && (!Uri.TryCreate(text, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
        {
            var shown = hook.Scalar("url") is { FromEnv: { } variable } ? $"the value of ${{env:{variable}}}" : $"'{text}'";
            hook.Error("url", $"{shown} is not an http or https URL; write the webhook's full address, e.g. 'https://hooks.slack.com/services/…' (or '${{env:NAME}}' to keep it out of the file)");
            url = null;
        }

        var events = new List<NotifyEvent>();
        foreach (var (name, mark, path) in hook.Names("on", "events") ?? [])
        {
            if (Vocabulary.NotifyEvents.TryGetValue(name, out var e))
            {
                events.Add(e);
            }
            else
            {
                errors.Add(mark, path, $"unknown event '{name}'{Suggest.Hint(name, Vocabulary.NotifyEvents.Keys.ToList())}");
            }
        }

        if (hook.Node("on") is YSequence { Items.Count: 0 })
        {
            hook.Error("on", "an empty 'on' list sends nothing; leave 'on' out for every event, or name the events");
        }

        return url is null ? null : new NotifySpec
        {
            Url = url,
            Events = hook.Has("on") ? events.Distinct().ToList() : NotifySpec.AllEvents,
            Mark = hook.Mapping.Mark,
        };
    }
}
