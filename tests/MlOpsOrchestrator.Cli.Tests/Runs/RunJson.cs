using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>Reading and checking the JSON shapes of the spec: a run (<c>run</c>/<c>show --json</c>), its steps, a model.</summary>
internal static class RunJson
{
    public static readonly string[] RunStatuses = ["pending", "running", "succeeded", "failed", "awaiting_approval", "cancelled", "interrupted"];
    public static readonly string[] StepStatuses = [.. RunStatuses, "skipped"];

    /// <summary>The fields every run object has, in <c>runs --json</c> as in <c>show --json</c>.</summary>
    public static readonly string[] RunFields =
        ["runId", "pipeline", "pipelineVersion", "trigger", "mode", "status", "level", "levelReasons", "startedAt", "finishedAt", "model"];

    public static readonly string[] StepFields = ["id", "kind", "status", "attempts", "startedAt", "finishedAt", "metrics", "artifacts", "error"];

    public static string Str(JsonNode? node, string property) =>
        node?[property]?.GetValue<string>() ?? throw new AssertionException($"'{property}' is missing or null in {node?.ToJsonString()}");

    public static string RunId(JsonNode run) => Str(run, "runId");

    public static string Status(JsonNode node) => Str(node, "status");

    public static JsonArray Steps(JsonNode run) =>
        run["steps"] as JsonArray ?? throw new AssertionException($"the run has no steps array: {run.ToJsonString()}");

    public static JsonNode Step(JsonNode run, string id) =>
        Steps(run).FirstOrDefault(s => s?["id"]?.GetValue<string>() == id)
        ?? throw new AssertionException($"the run has no step '{id}'; steps: {string.Join(", ", Steps(run).Select(s => s?["id"]))}");

    public static Dictionary<string, double> Metrics(JsonNode? node) =>
        (node?["metrics"] as JsonObject ?? throw new AssertionException($"no metrics object in {node?.ToJsonString()}"))
        .ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());

    public static Dictionary<string, string> Strings(JsonNode? node, string property) =>
        (node?[property] as JsonObject ?? throw new AssertionException($"no '{property}' object in {node?.ToJsonString()}"))
        .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    public static int Attempts(JsonNode step) => step["attempts"]!.GetValue<int>();

    /// <summary>An ISO 8601 time in UTC (<c>Z</c> or <c>+00:00</c>), or null.</summary>
    public static DateTimeOffset? Time(JsonNode? node, string property)
    {
        var value = node?[property];
        if (value is null)
        {
            return null;
        }

        var text = value.GetValue<string>();
        Assert.That(text, Does.Match(IsoUtc), $"'{property}' is not an ISO 8601 UTC time");
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
    }

    /// <summary>A time that must be there.</summary>
    public static DateTimeOffset At(JsonNode? node, string property) =>
        Time(node, property) ?? throw new AssertionException($"'{property}' is null in {node?.ToJsonString()}");

    private const string IsoUtc = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$";

    public static bool HasField(JsonNode? node, string property) => node is JsonObject obj && obj.ContainsKey(property);

    /// <summary>Asserts the run fields of the spec are present with the right types (values are the caller's business).</summary>
    public static void AssertRunShape(JsonNode run)
    {
        foreach (var field in RunFields)
        {
            Assert.That(HasField(run, field), Is.True, $"run field '{field}' is missing: {run.ToJsonString()}");
        }

        Assert.That(RunStatuses, Does.Contain(Status(run)));
        Assert.That(Str(run, "mode"), Is.AnyOf("full", "incremental"));
        Assert.That(run["level"]!.GetValue<int>(), Is.InRange(0, 4));
        Assert.That(run["levelReasons"], Is.InstanceOf<JsonArray>());
        var started = Time(run, "startedAt");
        var finished = Time(run, "finishedAt");
        if (started is not null && finished is not null)
        {
            Assert.That(finished, Is.GreaterThanOrEqualTo(started));
        }
    }

    /// <summary>Asserts a step has every field <c>show --json</c> promises: status, attempts, times, metrics, artifacts, error.</summary>
    public static void AssertStepShape(JsonNode step)
    {
        foreach (var field in StepFields)
        {
            Assert.That(HasField(step, field), Is.True, $"step field '{field}' is missing: {step.ToJsonString()}");
        }

        Assert.That(StepStatuses, Does.Contain(Status(step)), step.ToJsonString());
        Assert.That(Attempts(step), Is.GreaterThanOrEqualTo(0));
        Assert.That(step["metrics"], Is.InstanceOf<JsonObject>());
        Assert.That(step["artifacts"], Is.InstanceOf<JsonObject>());
        Assert.That(step["error"] is null || step["error"]!.GetValueKind() == JsonValueKind.String, Is.True, step.ToJsonString());
        var started = Time(step, "startedAt");
        var finished = Time(step, "finishedAt");
        if (started is not null && finished is not null)
        {
            Assert.That(finished, Is.GreaterThanOrEqualTo(started), step.ToJsonString());
        }
    }

    public static JsonNode? ModelRef(JsonNode run) => run["model"];

    /// <summary>The registered versions of <c>models NAME --json</c>.</summary>
    public static List<int> Versions(JsonNode models) =>
        (models["versions"] as JsonArray ?? throw new AssertionException($"no versions array: {models.ToJsonString()}"))
        .Select(v => v!["version"]!.GetValue<int>()).ToList();

    public static int? Alias(JsonNode models, string alias) => models["aliases"]?[alias]?.GetValue<int>();

    public static JsonArray AliasHistory(JsonNode models) =>
        models["aliasHistory"] as JsonArray ?? throw new AssertionException($"no aliasHistory array: {models.ToJsonString()}");
}
