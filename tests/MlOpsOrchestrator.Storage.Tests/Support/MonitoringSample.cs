using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Tests.Support;

/// <summary>Monitoring points and served predictions as a <c>monitor</c> step and serving would write them.</summary>
internal static class MonitoringSample
{
    public const string FeaturesJson = """{"trip_distance":3.2,"passenger_count":1,"pickup":"JFK","note":"caf\u00e9 \u2615"}""";

    public const string PredictionJson = """{"score":14.75}""";

    public static EvaluationPoint Point(string pipeline, string series, double value, DateTimeOffset at, string runId = "run-a") =>
        new(pipeline, "taxi-fare", 3, runId, "monitor", series, value, at);

    public static PredictionRecord Prediction(string model, DateTimeOffset at, int version = 3, double latency = 1.25) =>
        new(model, version, at, FeaturesJson, PredictionJson, latency);

    /// <summary><paramref name="count"/> points one millisecond apart from <see cref="Sample.T0"/>, values 0, 1, 2…</summary>
    public static IReadOnlyList<EvaluationPoint> Points(string pipeline, int count, string runId = "run-a", string series = "drift.psi.temp") =>
        [.. Enumerable.Range(0, count).Select(i => Point(pipeline, series, i, Sample.T0.AddMilliseconds(i), runId))];

    /// <summary><paramref name="count"/> predictions one millisecond apart from <see cref="Sample.T0"/>, latencies 0, 1, 2…</summary>
    public static IReadOnlyList<PredictionRecord> Predictions(string model, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Prediction(model, Sample.T0.AddMilliseconds(i), latency: i))];
}
