using System.Globalization;
using System.Text.Json;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The window as served: the features of the requests the model answered in the last <c>window</c> of wall time (the
/// newest <see cref="MaxRecords"/> of them), whichever version answered. <see cref="PredictionRecord.FeaturesJson"/> is
/// the request as scored: one object keyed by column name, or an array of them. Values are read as serving reads
/// them: a number sent for a categorical column is that category (<c>"season": 2</c> is <c>2</c>). A record that is
/// not JSON is left out and counted. Logged requests carry no labels, so this window never measures performance.
/// </summary>
internal static class PredictionWindowReader
{
    public const int MaxRecords = 100_000;

    public static async Task<WindowSample> ReadAsync(
        IPredictionLog log, string model, IReadOnlyList<ColumnProfile> monitored, DateTimeOffset since, CancellationToken ct)
    {
        var records = await log.ReadAsync(model, since, MaxRecords, ct);
        var sample = new WindowSample();
        foreach (var record in records)
        {
            try
            {
                using var document = JsonDocument.Parse(record.FeaturesJson);
                var root = document.RootElement;
                var rows = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
                foreach (var row in rows)
                {
                    if (row.ValueKind != JsonValueKind.Object)
                    {
                        sample.LeftOut++;
                        continue;
                    }

                    sample.Rows++;
                    foreach (var column in monitored)
                    {
                        if (row.TryGetProperty(column.Name, out var value))
                        {
                            Add(sample, column, value);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                sample.LeftOut++;
            }
        }

        sample.Description = string.Create(CultureInfo.InvariantCulture,
            $"{sample.Rows:N0} requests logged for {model} since {since.UtcDateTime:yyyy-MM-dd HH:mm}");
        return sample;
    }

    private static void Add(WindowSample sample, ColumnProfile column, JsonElement value)
    {
        if (column.Numeric is not null)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
            {
                sample.AddNumber(column.Name, number);
            }
            else if (value.ValueKind == JsonValueKind.String && ValueText.TryNumber(value.GetString(), out number))
            {
                sample.AddNumber(column.Name, number);
            }

            return;
        }

        var text = column.Type == ColumnType.Boolean ? Boolean(value) : Category(value);
        if (!string.IsNullOrEmpty(text))
        {
            sample.AddCategory(column.Name, text);
        }
    }

    private static string? Category(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string? Boolean(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String or JsonValueKind.Number when ValueText.TryBoolean(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(), out var flag)
            => flag ? "true" : "false",
        _ => null,
    };
}
