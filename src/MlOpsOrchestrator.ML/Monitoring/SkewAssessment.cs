using System.Globalization;
using System.Text.Json;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// Training/serving skew: for each feature view feature a model version was trained on (its schema's
/// <c>viewFeatures</c>), the values the logged requests carried in that feature's column (<c>view__feature</c>), sent
/// by the caller or fetched by serving, against the version's training profile of the same column. The distance is
/// the drift statistic of <see cref="DriftStatistics"/>, so skew and drift score alike; a value that is absent, null or
/// not a number is missing. A feature is skewed when the distance is above the threshold, or when the share of request
/// rows missing it exceeds the training share by more than the rule allows.
/// </summary>
public static class SkewAssessment
{
    /// <summary>The skew of <paramref name="model"/>'s view features over <paramref name="records"/>; null when the version holds none.</summary>
    public static SkewReport? Measure(
        string model, int version, DataProfile profile, DatasetSchema? schema, IReadOnlyList<PredictionRecord> records, DateTimeOffset since,
        DriftMethod method, SkewCheck rule)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(rule);
        if (schema?.ViewFeatures is not { Count: > 0 } features)
        {
            return null;
        }

        var served = features.ToDictionary(f => f.Column, _ => new List<double>(), StringComparer.Ordinal);
        var (rows, leftOut) = Read(records, served);
        var scored = features.Select(f => Score(f, profile.Column(f.Column), served[f.Column], rows, method, rule)).ToList();
        return new SkewReport(model, version, since, rows, leftOut, rule.Threshold, rule.MaxMissingIncrease, scored);
    }

    /// <summary>The request rows, and the records left out for not being JSON objects; the view columns' numbers go to <paramref name="served"/>.</summary>
    private static (int Rows, int LeftOut) Read(IReadOnlyList<PredictionRecord> records, Dictionary<string, List<double>> served)
    {
        int rows = 0, leftOut = 0;
        foreach (var record in records)
        {
            try
            {
                using var document = JsonDocument.Parse(record.FeaturesJson);
                var root = document.RootElement;
                foreach (var row in root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root])
                {
                    if (row.ValueKind != JsonValueKind.Object)
                    {
                        leftOut++;
                        continue;
                    }

                    rows++;
                    foreach (var (column, values) in served)
                    {
                        if (row.TryGetProperty(column, out var value) && Number(value) is { } number)
                        {
                            values.Add(number);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                leftOut++;
            }
        }

        return (rows, leftOut);
    }

    /// <summary>
    /// A served value as the model reads it: a single-precision float, like the training column the profile was made
    /// of. Kept a double, a value equal to a bin edge of the profile could fall on the edge's other side.
    /// </summary>
    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) => (float)number,
        JsonValueKind.String when ValueText.TryNumber(value.GetString(), out var number) => (float)number,
        _ => null,
    };

    private static FeatureSkew Score(DatasetFeature feature, ColumnProfile? training, List<double> served, int rows, DriftMethod method, SkewCheck rule)
    {
        var trainingRows = training is null ? 0 : training.Count + training.Missing;
        var trainingMissing = trainingRows == 0 ? 0 : training!.Missing / (double)trainingRows;
        var servedMissing = rows == 0 ? 0 : (rows - served.Count) / (double)rows;
        double? distance = training?.Numeric is { } numeric
            ? method == DriftMethod.Ks ? DriftStatistics.NumericKs(numeric, served) : DriftStatistics.NumericPsi(numeric, served)
            : null;
        var statistic = method == DriftMethod.Ks ? "KS" : "PSI";
        string? reason = null;
        if (distance > rule.Threshold)
        {
            reason = $"{statistic} {StepOutcomes.Number(distance.Value)} > {Text(rule.Threshold)}";
        }
        else if (rows > 0 && servedMissing - trainingMissing > rule.MaxMissingIncrease)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"missing in {servedMissing:0%} of requests, {trainingMissing:0%} of training rows");
        }

        return new FeatureSkew(
            feature.View, feature.Feature, feature.Column, training?.Numeric?.Mean, trainingMissing,
            served.Count == 0 ? null : served.Average(), servedMissing, served.Count, distance, statistic, reason);
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>skew on station_activity__trips_1h (PSI 4.1 &gt; 0.2), …</c> or <c>no skew in 5 view features</c>, for messages.</summary>
    public static string Summary(SkewReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Requests == 0)
        {
            return $"skew not checked: no request logged for {report.Model}";
        }

        var skewed = report.Skewed;
        return skewed.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"no skew in {report.Features.Count} view feature{(report.Features.Count == 1 ? "" : "s")} over {report.Requests:N0} requests")
            : $"training/serving skew on {string.Join(", ", skewed.Select(f => $"{f.Column} ({f.Reason})"))}; a retrain would not fix it: check how serving computes these features";
    }
}
