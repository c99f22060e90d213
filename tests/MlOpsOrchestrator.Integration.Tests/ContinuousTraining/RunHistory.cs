using System.Globalization;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.TestSupport;

namespace MlOpsOrchestrator.Integration.Tests.ContinuousTraining;

/// <summary>One step of a run as <c>GET /api/runs/{id}</c> shows it.</summary>
internal sealed record StepInfo(
    string Id, string Status, IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, string> Outputs, string? Error)
{
    public string? Output(string name) => Outputs.GetValueOrDefault(name);

    public double? Metric(string name) => Metrics.TryGetValue(name, out var value) ? value : null;

    public override string ToString() =>
        $"{Id} {Status}{(Error is null ? "" : $" ({Error})")}{(Outputs.GetValueOrDefault("note") is { } note ? $": {note}" : "")}";
}

/// <summary>A run as <c>GET /api/runs/{id}</c> shows it, with its steps.</summary>
internal sealed record RunInfo(
    string RunId, string Trigger, string Mode, string Status, int Level, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? Error, IReadOnlyDictionary<string, StepInfo> Steps)
{
    private static readonly string[] Ends = ["succeeded", "failed", "cancelled", "interrupted"];

    public bool Finished => Ends.Contains(Status);

    public StepInfo? Step(string id) => Steps.GetValueOrDefault(id);

    /// <summary>The step's output when the step succeeded, else null.</summary>
    public string? Succeeded(string step, string output) =>
        Step(step) is { Status: "succeeded" } s ? s.Output(output) : null;

    public DateTimeOffset? Watermark =>
        Succeeded("prep", "watermark") is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : null;

    public static RunInfo Parse(JsonNode run)
    {
        var steps = (run["steps"]?.AsArray() ?? []).Select(s => new StepInfo(
                s!["id"]!.GetValue<string>(),
                s["status"]!.GetValue<string>(),
                s["metrics"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>(), StringComparer.Ordinal),
                s["outputs"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal),
                s["error"]?.GetValue<string>()))
            .ToDictionary(s => s.Id, StringComparer.Ordinal);
        return new RunInfo(
            run["runId"]!.GetValue<string>(),
            run["trigger"]!.GetValue<string>(),
            run["mode"]!.GetValue<string>(),
            run["status"]!.GetValue<string>(),
            run["level"]!.GetValue<int>(),
            run["createdAt"]!.GetValue<DateTimeOffset>(),
            run["startedAt"]?.GetValue<DateTimeOffset>(),
            run["finishedAt"]?.GetValue<DateTimeOffset>(),
            run["error"]?.GetValue<string>(),
            steps);
    }

    public override string ToString()
    {
        var steps = string.Join("; ", Steps.Values.Where(s => s.Status != "skipped" || s.Error?.StartsWith("not in the steps", StringComparison.Ordinal) != true));
        return $"{RunId} [{Trigger}, {Mode}, level {Level}] {Status} created {CreatedAt:HH:mm:ss.fff} started {StartedAt:HH:mm:ss.fff} "
            + $"finished {FinishedAt:HH:mm:ss.fff}{(Error is null ? "" : $" error: {Error}")} | {steps}";
    }
}

/// <summary>
/// The runs of one pipeline through the API of a live <c>serve</c>, oldest first. Finished runs are fetched once
/// (they do not change any more), unfinished ones on every refresh.
/// </summary>
internal sealed class RunHistory(ServeProcess serve, string pipeline)
{
    private readonly Dictionary<string, RunInfo> _finished = new(StringComparer.Ordinal);

    public IReadOnlyList<RunInfo> Runs { get; private set; } = [];

    public async Task<IReadOnlyList<RunInfo>> RefreshAsync()
    {
        var list = (await serve.GetJsonAsync($"/api/runs?pipeline={Uri.EscapeDataString(pipeline)}&limit=500")).AsArray();
        var runs = new List<RunInfo>();
        foreach (var item in list)
        {
            var id = item!["runId"]!.GetValue<string>();
            if (!_finished.TryGetValue(id, out var run))
            {
                run = RunInfo.Parse(await serve.GetJsonAsync($"/api/runs/{Uri.EscapeDataString(id)}"));
                if (run.Finished)
                {
                    _finished[id] = run;
                }
            }

            runs.Add(run);
        }

        Runs = runs.OrderBy(r => r.CreatedAt).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();
        return Runs;
    }

    /// <summary>Polls until <paramref name="find"/> returns a run; null when <paramref name="timeout"/> passed first.</summary>
    public async Task<RunInfo?> WaitForAsync(Func<IReadOnlyList<RunInfo>, RunInfo?> find, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            if (find(await RefreshAsync()) is { } found)
            {
                return found;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return null;
            }

            await Task.Delay(300);
        }
    }

    public string Describe() => string.Join("\n", Runs.Select(r => $"  {r}"));
}
