using System.Globalization;
using System.Text.Json;

namespace MlOpsOrchestrator.Feedback;

/// <summary>
/// Reads what a logged answer predicted and compares it with a fed-back label. The answer's shape says the task, as
/// serving writes it: <c>{"score"}</c> a regression, <c>{"predictedLabel", "scores"}</c> a multiclass,
/// <c>{"predictedLabel"}</c> otherwise a binary classification. Labels are text: a regression label parses as an
/// invariant-culture number; a binary label <c>true/false</c>, <c>1/0</c> or <c>yes/no</c> compares with a boolean
/// prediction; class names compare exactly.
/// </summary>
internal static class LabelScore
{
    public const string Regression = "regression";
    public const string Binary = "binary";
    public const string Multiclass = "multiclass";

    /// <summary>The task and either the error (regression) or whether it was right (1/0), or null when they cannot be compared.</summary>
    public static (string Task, double Value)? Compare(string predictionJson, string label)
    {
        using var document = ParseOrNull(predictionJson);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var root = document.RootElement;
        if (root.TryGetProperty("predictedLabel", out var predicted))
        {
            var task = root.TryGetProperty("scores", out _) ? Multiclass : Binary;
            return predicted.ValueKind switch
            {
                JsonValueKind.True or JsonValueKind.False => Flag(label.Trim()) is { } flag
                    ? (task, flag == (predicted.ValueKind == JsonValueKind.True) ? 1 : 0)
                    : null,
                JsonValueKind.String => (task, string.Equals(predicted.GetString(), label.Trim(), StringComparison.Ordinal) ? 1 : 0),
                _ => null,
            };
        }

        if (root.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number
            && double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual) && double.IsFinite(actual))
        {
            return (Regression, score.GetDouble() - actual);
        }

        return null;
    }

    private static bool? Flag(string label) => label.ToUpperInvariant() switch
    {
        "TRUE" or "1" or "YES" => true,
        "FALSE" or "0" or "NO" => false,
        _ => null,
    };

    private static JsonDocument? ParseOrNull(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
