using System.Globalization;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>One view as <c>mlops features</c> lists it (also its JSON shape).</summary>
internal sealed record FeatureListing(
    string View,
    string File,
    string? Owner,
    string? Description,
    IReadOnlyList<string> Entity,
    string? Timestamp,
    string? Ttl,
    string? OnlineRefresh,
    IReadOnlyList<FeatureListing.Feature> Features,
    IReadOnlyList<FeatureListing.User> UsedBy,
    FeatureMaterialization? Freshness)
{
    public static FeatureListing Of(FeatureViewSpec view, List<(string Pipeline, FeatureRef Feature)> users, IReadOnlyList<FeatureMaterialization> materializations) => new(
        view.Name,
        Path.GetRelativePath(Directory.GetCurrentDirectory(), view.File),
        view.Owner,
        view.Description,
        view.Entity,
        view.Timestamp,
        view.Ttl is { } ttl ? Duration(ttl) : null,
        view.OnlineRefresh,
        [.. view.Features.Select(f => new Feature(f.Name, Word(f.Aggregation), f.Column, f.Window is { } w ? Duration(w) : null, "number"))],
        [.. users.Where(u => u.Feature.View == view.Name).GroupBy(u => u.Pipeline).Select(g => new User(g.Key, [.. g.Select(u => u.Feature.Feature)]))],
        materializations.Count == 0 ? null : materializations[0]);

    public static void Write(TextWriter output, FeatureListing view)
    {
        output.WriteLine($"{view.View}  ({view.File}){(view.Owner is null ? "" : $"  owner: {view.Owner}")}");
        output.WriteLine($"  entity: {string.Join(", ", view.Entity)}  timestamp: {view.Timestamp ?? "(none)"}  ttl: {view.Ttl ?? "(none)"}  online refresh: {(view.OnlineRefresh is null ? "(none)" : $"\"{view.OnlineRefresh}\"")}");
        var width = view.Features.Max(f => f.Name.Length);
        foreach (var feature in view.Features)
        {
            var what = feature.Column is null ? feature.Agg : $"{feature.Agg}({feature.Column})";
            output.WriteLine($"    {feature.Name.PadRight(width)}  {what,-26}  {(feature.Window is null ? "all time" : $"window {feature.Window}"),-12}  {feature.Type}");
        }

        output.WriteLine($"  used by: {(view.UsedBy.Count == 0 ? "(no pipeline)" : string.Join("; ", view.UsedBy.Select(u => $"{u.Pipeline} ({string.Join(", ", u.Features)})")))}");
        output.WriteLine(view.Freshness is { } fresh
            ? string.Create(CultureInfo.InvariantCulture, $"  freshness: materialized {fresh.Written.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, {fresh.Events:N0} events, {(fresh.Current switch { true => "current", false => "the source changed since (the next run materializes again)", null => "checked when a run reads the source" })}")
            : "  freshness: not materialized yet (the first run that uses it does)");
        output.WriteLine();
    }

    private static string Word(FeatureAggregation aggregation) => aggregation == FeatureAggregation.DistinctCount ? "distinct_count" : aggregation.ToString().ToLowerInvariant();

    private static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0}d"
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0}h"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0}m"
        : $"{span.TotalSeconds:0}s";

    internal sealed record Feature(string Name, string Agg, string? Column, string? Window, string Type);

    internal sealed record User(string Pipeline, IReadOnlyList<string> Features);
}
