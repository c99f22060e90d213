using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.RealDataPipelines;

/// <summary>
/// The JSON <c>mlops run --json</c> printed: <c>{ runId, pipeline, status, steps: [ { id, kind, status, metrics,
/// outputs, error } ], model: { name, version } }</c>, with the wall time of the command.
/// </summary>
internal sealed class PipelineRun(JsonNode json, CliOutput output, TimeSpan elapsed)
{
    public JsonNode Json { get; } = json;

    public TimeSpan Elapsed { get; } = elapsed;

    public string Pipeline => Text(Json, "pipeline");

    public IReadOnlyList<JsonNode> Steps =>
        (Json["steps"] as JsonArray ?? throw new AssertionException($"no steps array in {Json.ToJsonString()}")).Select(s => s!).ToList();

    /// <summary>The run succeeded, every step of it too, and the deploy step registered version 1 of <paramref name="model"/>.</summary>
    public void AssertSucceededAndRegistered(string model)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Text(Json, "status"), Is.EqualTo("succeeded"), output.Stderr);
            foreach (var step in Steps)
            {
                Assert.That(Text(step, "status"), Is.EqualTo("succeeded"), $"step {Text(step, "id")}: {step["error"]}");
            }

            Assert.That(Json["model"]?["name"]?.GetValue<string>(), Is.EqualTo(model), "the registered model");
            Assert.That(Json["model"]?["version"]?.GetValue<int>(), Is.EqualTo(1), "a fresh home registers version 1");
        });
    }

    /// <summary>The metrics of a step, by the names the gates use.</summary>
    public IReadOnlyDictionary<string, double> Metrics(string stepId) =>
        (Step(stepId)["metrics"] as JsonObject ?? throw new AssertionException($"step {stepId} has no metrics object"))
        .ToDictionary(p => p.Key, p => p.Value!.GetValue<double>(), StringComparer.Ordinal);

    /// <summary>The train step the evaluate step chose.</summary>
    public string Chosen(string evaluateStepId = "evaluate") =>
        Step(evaluateStepId)["outputs"]?["chosen"]?.GetValue<string>() ?? throw new AssertionException($"step {evaluateStepId} chose nothing");

    public JsonNode Step(string id) =>
        Steps.FirstOrDefault(s => s["id"]?.GetValue<string>() == id)
        ?? throw new AssertionException($"the run has no step '{id}'; steps: {string.Join(", ", Steps.Select(s => s["id"]))}");

    /// <summary>One line per train and evaluate step with its metrics, and the wall time: what the test output records.</summary>
    public string Summary()
    {
        var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{Pipeline}: {Text(Json, "status")} in {Elapsed.TotalSeconds:0.0} s") };
        foreach (var step in Steps.Where(s => Text(s, "kind") is "train" or "evaluate"))
        {
            var metrics = step["metrics"] as JsonObject ?? [];
            var values = string.Join(", ", metrics.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value!.GetValue<double>():0.####}")));
            var chosen = step["outputs"]?["chosen"]?.GetValue<string>() is { } c ? $" (chose {c})" : "";
            lines.Add($"  {Text(step, "id")}{chosen}: {values}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Text(JsonNode node, string property) =>
        node[property]?.GetValue<string>() ?? throw new AssertionException($"'{property}' is missing in {node.ToJsonString()}");
}
