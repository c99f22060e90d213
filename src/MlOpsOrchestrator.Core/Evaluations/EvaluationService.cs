using System.Globalization;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Evaluations;

internal sealed class EvaluationService(IModelRegistry registry, IModelEvaluationStore store) : IEvaluationService
{
    public async Task<IReadOnlyList<ModelEvaluation>> ListAsync(string model, int? version, string? sliceColumn, CancellationToken ct)
    {
        var (rows, versions) = await ReadAsync(model, ct);
        if (version is { } wanted)
        {
            Exists(model, wanted, versions);
        }

        if (sliceColumn is { Length: 0 })
        {
            throw new EvaluationQueryException("the slice column is empty; name a column (or '*' for the whole evaluation set)", notFound: false);
        }

        return [.. rows.Where(r => (version is null || r.Version == version) && (sliceColumn is null || r.SliceColumn == sliceColumn))];
    }

    public async Task<VersionComparison> CompareAsync(string model, int a, int b, CancellationToken ct)
    {
        var (rows, versions) = await ReadAsync(model, ct);
        Exists(model, a, versions);
        Exists(model, b, versions);
        var steps = rows.GroupBy(r => (r.RunId, r.StepId)).ToList();

        // Like for like: the newest step that measured both versions on the same rows.
        var shared = steps.LastOrDefault(s => s.Any(r => r.Version == a) && s.Any(r => r.Version == b));
        var ofA = shared?.Where(r => r.Version == a).ToList() ?? Newest(steps, a);
        var ofB = shared?.Where(r => r.Version == b).ToList() ?? Newest(steps, b);
        var keys = ofA.Concat(ofB).Select(r => (r.SliceColumn, r.SliceValue, r.Metric)).Distinct().ToList();
        var compared = keys.Select(k => Compare(k, ofA, ofB)).ToList();
        var ordered = compared
            .OrderByDescending(c => c.Worsening ?? double.NegativeInfinity)
            .ThenBy(c => c.Column == ModelEvaluation.Overall ? 0 : 1)
            .ThenBy(c => c.Column, StringComparer.Ordinal).ThenBy(c => c.Slice, StringComparer.Ordinal).ThenBy(c => c.Metric, StringComparer.Ordinal)
            .ToList();
        return new VersionComparison(model, a, b, shared?.Key.RunId, ofA.FirstOrDefault()?.DataHash, ofB.FirstOrDefault()?.DataHash, ordered);
    }

    private async Task<(IReadOnlyList<ModelEvaluation> Rows, IReadOnlyList<ModelVersion> Versions)> ReadAsync(string model, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new EvaluationQueryException("the model name is empty", notFound: false);
        }

        var versions = await registry.ListVersionsAsync(model, ct);
        var rows = await store.ReadAsync(model, ct);
        if (versions.Count == 0 && rows.Count == 0)
        {
            throw new EvaluationQueryException($"unknown model '{model}': no version is registered and nothing was evaluated under that name", notFound: true);
        }

        // A candidate becomes the version deploy registered from the same run and train step.
        var registered = versions
            .Where(v => v.Properties.ContainsKey(ModelProperties.TrainedBy))
            .GroupBy(v => (v.RunId, v.Properties[ModelProperties.TrainedBy]))
            .ToDictionary(g => g.Key, g => g.Min(v => v.Version));
        return ([.. rows.Select(r => r.Version is null && r.TrainedBy is { } step && registered.TryGetValue((r.RunId, step), out var v) ? r with { Version = v } : r)], versions);
    }

    private static void Exists(string model, int version, IReadOnlyList<ModelVersion> versions)
    {
        if (version < 1)
        {
            throw new EvaluationQueryException(string.Create(CultureInfo.InvariantCulture, $"invalid version {version}; versions are numbered from 1"), notFound: false);
        }

        if (versions.All(v => v.Version != version))
        {
            var known = versions.Count == 0 ? "none is registered" : $"registered: {string.Join(", ", versions.Select(v => v.Version).Order())}";
            throw new EvaluationQueryException(string.Create(CultureInfo.InvariantCulture, $"model '{model}' has no version {version} ({known})"), notFound: true);
        }
    }

    /// <summary>The rows of the newest step that measured <paramref name="version"/>, preferring an evaluate step's (it has slices) over a train step's.</summary>
    private static List<ModelEvaluation> Newest(List<IGrouping<(string RunId, string StepId), ModelEvaluation>> steps, int version)
    {
        var measured = steps.Where(s => s.Any(r => r.Version == version)).ToList();
        var sliced = measured.LastOrDefault(s => s.Any(r => r.Version == version && !r.IsOverall)) ?? measured.LastOrDefault();
        return sliced?.Where(r => r.Version == version).ToList() ?? [];
    }

    private static SliceComparison Compare((string Column, string Slice, string Metric) key, List<ModelEvaluation> a, List<ModelEvaluation> b)
    {
        var x = a.LastOrDefault(r => r.SliceColumn == key.Column && r.SliceValue == key.Slice && r.Metric == key.Metric);
        var y = b.LastOrDefault(r => r.SliceColumn == key.Column && r.SliceValue == key.Slice && r.Metric == key.Metric);
        double? change = null;
        double? worsening = null;
        if (x is not null && y is not null && double.IsFinite(x.Value) && double.IsFinite(y.Value))
        {
            change = x.Value == 0 ? (y.Value == 0 ? 0 : y.Value > 0 ? double.PositiveInfinity : double.NegativeInfinity) : (y.Value - x.Value) / Math.Abs(x.Value);
            worsening = Metrics.All.Contains(key.Metric) && Metrics.HigherIsBetter(key.Metric) ? -change : change;
        }

        return new SliceComparison(key.Column, key.Slice, key.Metric, x?.Value, x?.Rows, y?.Value, y?.Rows, change, worsening);
    }
}
