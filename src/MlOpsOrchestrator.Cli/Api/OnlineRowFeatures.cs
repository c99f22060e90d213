using System.Text.Json;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Planning;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Predict by entity key: a row that carries the entity key column(s) of a feature view the answering model needs
/// (its prepared schema's <c>viewFeatures</c>) instead of that view's <c>view__feature</c> values gets them computed at
/// request time from the online store, by the aggregation code the training join ran. A value the row sends itself
/// wins over the fetched one. The rows scored (and logged) are the rows with the values filled in; each row's answer
/// says per view which values were fetched, for which entity, and how old they were. The views are those the
/// pipelines <c>serve</c> loads use.
/// </summary>
internal sealed class OnlineRowFeatures(PipelineCatalog catalog, StorageSet storage, OnlineFeatureClock clock)
{
    private readonly OnlineFeatureReader _reader = new(storage.OnlineFeatures);

    /// <summary>
    /// The input with the fetched values added, and per row the note for its answer (null where nothing was fetched);
    /// null input when there was nothing to fetch for any row. A problem is a status and message: a view the model needs
    /// that serve does not know (422), or that has no online data (409).
    /// </summary>
    public async Task<Enrichment> FillAsync(IReadOnlyList<ServedModel> answering, IReadOnlyList<JsonElement> rows, bool array, CancellationToken ct)
    {
        var needed = answering.SelectMany(s => s.Scorer.Schema.ViewFeatures ?? []).DistinctBy(f => f.Column).GroupBy(f => f.View).ToList();
        if (needed.Count == 0 || rows.All(r => r.ValueKind != JsonValueKind.Object))
        {
            return Enrichment.None;
        }

        var now = clock.Time.GetUtcNow();
        var views = ViewsByName();
        var filled = new JsonObject?[rows.Count];
        var notes = new JsonArray?[rows.Count];
        var states = new Dictionary<string, Stores.OnlineViewState>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var group in needed)
            {
                var columns = group.ToList();
                var sent = columns.Where(c => rows[i].TryGetProperty(c.Column, out var v) && v.ValueKind != JsonValueKind.Null).Select(c => c.Column).ToList();
                if (sent.Count == columns.Count)
                {
                    continue;
                }

                if (!views.TryGetValue(group.Key, out var view))
                {
                    return Enrichment.Failed(422, $"the model needs feature view '{group.Key}' ({string.Join(", ", columns.Select(c => c.Column).Except(sent))}), which no pipeline serve loads uses; send the values, or serve the pipelines that use the view");
                }

                if (Entity(rows[i], view) is not { } entity)
                {
                    continue;
                }

                if (!states.TryGetValue(view.Name, out var state))
                {
                    var (found, problem) = await _reader.StateAsync(view, ct);
                    if (found is null)
                    {
                        return Enrichment.Failed(409, $"cannot fetch the features of row {i + 1} by its {string.Join(", ", view.Entity)}: {problem}");
                    }

                    states[view.Name] = state = found;
                }

                var wanted = columns.Where(c => !sent.Contains(c.Column)).ToList();
                var values = await _reader.ValuesAsync(view, [.. wanted.Select(c => c.Feature)], entity, now, ct);
                var row = filled[i] ??= JsonNode.Parse(rows[i].GetRawText())!.AsObject();
                var used = new JsonObject();
                foreach (var column in wanted)
                {
                    var value = values.Values[column.Feature];
                    row[column.Column] = value;
                    used[column.Column] = value;
                }

                (notes[i] ??= []).Add(new JsonObject
                {
                    ["view"] = view.Name,
                    ["entity"] = string.Join(", ", entity),
                    ["known"] = values.NewestEvent is not null,
                    ["values"] = used,
                    ["sent"] = new JsonArray([.. sent.Select(s => (JsonNode?)s)]),
                    ["newestEvent"] = values.NewestEvent,
                    ["newestEventAgeSeconds"] = values.NewestEvent is { } newest ? Math.Round((now - newest).TotalSeconds, 3) : null,
                    ["refreshedAt"] = state.RefreshedAt,
                    ["refreshAgeSeconds"] = Math.Round((now - state.RefreshedAt).TotalSeconds, 3),
                });
            }
        }

        if (filled.All(f => f is null))
        {
            return Enrichment.None;
        }

        var items = rows.Select((r, i) => filled[i] ?? JsonNode.Parse(r.GetRawText())).ToList();
        var text = array ? new JsonArray([.. items]).ToJsonString() : items[0]!.ToJsonString();
        return new Enrichment(JsonDocument.Parse(text), notes, null, null);
    }

    /// <summary>The row's values of the view's key columns (text as sent: a string as is, a number as written); null when one is absent.</summary>
    private static string[]? Entity(JsonElement row, FeatureViewSpec view)
    {
        var parts = new string[view.Entity.Count];
        for (var k = 0; k < parts.Length; k++)
        {
            if (!row.TryGetProperty(view.Entity[k], out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array)
            {
                return null;
            }

            parts[k] = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : value.GetRawText();
        }

        return parts;
    }

    private Dictionary<string, FeatureViewSpec> ViewsByName() =>
        catalog.Entries.Select(e => e.Definition).OfType<PipelineDefinition>()
            .SelectMany(d => d.Spec.Data.FeatureViews)
            .GroupBy(v => v.Name)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
}

/// <summary>What <see cref="OnlineRowFeatures.FillAsync"/> did: the filled input (null: unchanged) and the notes per row, or a problem.</summary>
internal sealed record Enrichment(JsonDocument? Input, IReadOnlyList<JsonArray?>? Notes, int? Status, string? Problem)
{
    public static Enrichment None { get; } = new(null, null, null, null);

    public static Enrichment Failed(int status, string problem) => new(null, null, status, problem);
}
