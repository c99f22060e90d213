using System.Globalization;
using System.Text.Json;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The body of <c>POST /api/models/{name}/feedback</c>: one object or an array of them, each
/// <c>{ "predictionId": "...", "label": ... }</c> or <c>{ "key": "...", "timestamp": "2026-12-07T10:00:00Z", "label": ... }</c>.
/// A label may be a string, a number or a boolean; it is kept as text. Any item of the wrong shape refuses the whole
/// body with a message naming the item, so nothing is half stored.
/// </summary>
internal static class FeedbackBody
{
    private static readonly string[] Fields = ["predictionId", "key", "timestamp", "label"];

    public static (IReadOnlyList<FeedbackLabel>? Labels, string? Error) Parse(JsonElement? json)
    {
        if (json is not { } body)
        {
            return (null, "send the labels: { \"predictionId\": \"...\", \"label\": ... } or an array of them");
        }

        var items = body.ValueKind == JsonValueKind.Array ? body.EnumerateArray().ToList() : [body];
        if (items.Count == 0)
        {
            return (null, "the array of labels is empty");
        }

        var labels = new List<FeedbackLabel>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (label, error) = ParseItem(items[i]);
            if (error is not null)
            {
                return (null, body.ValueKind == JsonValueKind.Array ? $"item {i}: {error}" : error);
            }

            labels.Add(label!);
        }

        return (labels, null);
    }

    private static (FeedbackLabel? Label, string? Error) ParseItem(JsonElement item)
    {
        if (ApiBody.CheckObject(item, Fields) is { } shape)
        {
            return (null, shape.Replace("the request body", "a label", StringComparison.Ordinal));
        }

        if (!item.TryGetProperty("label", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, "'label' is required: the true outcome (a number, a class name or true/false)");
        }

        var label = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        if (label is null)
        {
            return (null, $"'label' must be a string, a number or a boolean, not {ApiBody.Describe(value.ValueKind)}");
        }

        var (id, idError) = ApiBody.String(item, "predictionId");
        var (key, keyError) = ApiBody.String(item, "key");
        var (timestamp, timeError) = ApiBody.String(item, "timestamp");
        if ((idError ?? keyError ?? timeError) is { } error)
        {
            return (null, error);
        }

        if (id is not null)
        {
            return key is null && timestamp is null
                ? (FeedbackLabel.ForPrediction(id, label), null)
                : (null, "name the prediction one way: 'predictionId', or 'key' with 'timestamp', not both");
        }

        if (key is null || timestamp is null)
        {
            return (null, "name the prediction: 'predictionId', or 'key' with 'timestamp' (when the request was made)");
        }

        return DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (FeedbackLabel.ForKey(key, at.ToUniversalTime(), label), null)
            : (null, $"'timestamp' '{timestamp}' is not a date and time; use ISO 8601, e.g. 2026-12-07T10:00:00Z");
    }
}
