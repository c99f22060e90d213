using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.ML.Serving;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Which served version answers each row of a predict request, and the answer as it goes back: every row gets a
/// <c>predictionId</c> (a UUIDv7: unique across serve nodes, ordered by time), the response says which alias and
/// version answered. A request that names an alias (<c>?alias=</c>) is answered by it alone; one that names none goes
/// to the canary for its share, by a stable hash of the row's key field, else of the <c>X-Request-Key</c> header,
/// else of the row's own prediction id, and to production otherwise.
/// </summary>
internal sealed class PredictionAnswers
{
    public const string IdProperty = "predictionId";
    public const string RequestKeyHeader = "X-Request-Key";
    public const string PredictionIdHeader = "X-Prediction-Id";
    public const string ModelAliasHeader = "X-Model-Alias";

    private string[]? _answers;

    private PredictionAnswers(JsonElement[] rows, ServedModel?[] answeredBy, string[] ids, string?[] keys)
    {
        Rows = rows;
        AnsweredBy = answeredBy;
        Ids = ids;
        Keys = keys;
    }

    /// <summary>The request's rows: the array's items, or the one object.</summary>
    public IReadOnlyList<JsonElement> Rows { get; }

    /// <summary>Per row, the version that answers it; null where production should but the model has none.</summary>
    public IReadOnlyList<ServedModel?> AnsweredBy { get; }

    public IReadOnlyList<string> Ids { get; }

    /// <summary>Per row, the routing key the caller sent (the key field's value or the header), else null.</summary>
    public IReadOnlyList<string?> Keys { get; }

    /// <summary>Every row to <paramref name="served"/>, as a request naming its alias is.</summary>
    public static PredictionAnswers To(ServedModel served, JsonElement input, DateTimeOffset now)
    {
        var rows = RowsOf(input);
        return new PredictionAnswers(rows, [.. rows.Select(_ => served)], NewIds(rows.Length, now), new string?[rows.Length]);
    }

    /// <summary>Each row to the canary or production, as <paramref name="routes"/> and the row's key decide.</summary>
    public static PredictionAnswers Route(string model, ServedRoutes routes, JsonElement input, string? headerKey, DateTimeOffset now)
    {
        var rows = RowsOf(input);
        var ids = NewIds(rows.Length, now);
        var keys = new string?[rows.Length];
        var answeredBy = new ServedModel?[rows.Length];
        var field = routes.Canary?.Route.Key;
        for (var i = 0; i < rows.Length; i++)
        {
            keys[i] = (field is not null ? FieldKey(rows[i], field) : null) ?? (string.IsNullOrEmpty(headerKey) ? null : headerKey);
            answeredBy[i] = routes.Canary is { } canary && TrafficSplit.ToCanary(model, keys[i] ?? ids[i], canary.Route.Traffic)
                ? canary.Model
                : routes.Production;
        }

        return new PredictionAnswers(rows, answeredBy, ids, keys);
    }

    /// <summary>The same answers for the same rows with values filled in (predict by entity key): routing is not redone.</summary>
    public PredictionAnswers WithInput(JsonElement input) => new(RowsOf(input), [.. AnsweredBy], [.. Ids], [.. Keys]);

    /// <summary>
    /// Scores the rows with the versions that answer them (each version once, over the whole input, so its problems
    /// are listed as a single-version request's are) and shapes the answer like the input, each row with its id.
    /// </summary>
    /// <exception cref="ScoringInputException">The input does not fit a model that answers part of it.</exception>
    /// <param name="input">The rows to score.</param>
    /// <param name="features">Per row, what predict by entity key fetched (added to the answer as <c>features</c>), or null.</param>
    public JsonNode Score(JsonElement input, IReadOnlyList<JsonArray?>? features = null)
    {
        var scored = new Dictionary<ServedModel, IReadOnlyList<Prediction>>(ReferenceEqualityComparer.Instance);
        foreach (var served in AnsweredBy.Distinct().OfType<ServedModel>())
        {
            scored[served] = served.Scorer.Score(input);
        }

        var answers = new JsonObject[Rows.Count];
        _answers = new string[Rows.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] = scored[AnsweredBy[i]!][i].ToJson();
            answers[i][IdProperty] = Ids[i];
            if (features?[i] is { } fetched)
            {
                answers[i]["features"] = fetched;
            }

            _answers[i] = answers[i].ToJsonString(ApiJson.Options);
        }

        return input.ValueKind == JsonValueKind.Array ? new JsonArray([.. answers]) : answers[0];
    }

    /// <summary>Row <paramref name="index"/>'s answer as returned, once <see cref="Score"/> ran.</summary>
    public string Answer(int index) => _answers?[index] ?? throw new InvalidOperationException("the rows are not scored yet");

    /// <summary><c>X-Model-Version</c>, <c>X-Model-Alias</c> (each distinct value in row order) and, for one row, <c>X-Prediction-Id</c>.</summary>
    public void WriteHeaders(HttpResponse response, string versionHeader)
    {
        var answered = AnsweredBy.OfType<ServedModel>().ToList();
        response.Headers[versionHeader] = string.Join(", ", answered.Select(s => s.Version).Distinct());
        response.Headers[ModelAliasHeader] = AliasLabel;
        if (Ids.Count == 1)
        {
            response.Headers[PredictionIdHeader] = Ids[0];
        }
    }

    /// <summary>The alias that answered, or each of them (<c>canary, production</c>) when the rows were split.</summary>
    public string AliasLabel => string.Join(", ", AnsweredBy.OfType<ServedModel>().Select(s => s.Alias).Distinct());

    private static JsonElement[] RowsOf(JsonElement input) =>
        input.ValueKind == JsonValueKind.Array ? [.. input.EnumerateArray()] : [input];

    private static string[] NewIds(int count, DateTimeOffset now)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = Guid.CreateVersion7(now).ToString();
        }

        return ids;
    }

    /// <summary>The row's value of the key field as text (a string as is, a number or boolean as written); null when absent or null.</summary>
    private static string? FieldKey(JsonElement row, string field) =>
        row.ValueKind == JsonValueKind.Object && row.TryGetProperty(field, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            }
            : null;
}
