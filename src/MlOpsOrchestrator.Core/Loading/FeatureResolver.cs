using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Checks a pipeline's <c>data.features</c> against the loaded feature views (each at its own position in the
/// pipeline file) and attaches the views it uses: an unknown view or feature, a view that failed to load, features
/// without <c>data.timestamp</c> to join them as of, a label source without the view's entity columns.
/// </summary>
internal sealed class FeatureResolver(ReadContext context, FeatureViewSet views, bool checkData)
{
    public DataSpec Resolve(DataSpec data)
    {
        var used = new List<FeatureViewSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (data.Timestamp is null)
        {
            context.Errors.Add(context.Marks.Of("data.features"), "data.features", "features are joined to each row as of its time, so they need 'data.timestamp' (the column with the row's time)");
        }

        foreach (var feature in data.Features)
        {
            if (feature.View.Length == 0 || feature.Feature.Length == 0)
            {
                Error(feature, $"expected 'view:feature', got '{feature}'; write the view's name, a colon and the feature's name");
                continue;
            }

            if (!seen.Add(feature.ToString()))
            {
                Error(feature, $"feature '{feature}' is listed twice");
                continue;
            }

            if (views.Find(feature.View) is not { } view)
            {
                Error(feature, Unknown(feature.View));
                continue;
            }

            if (view.Feature(feature.Feature) is null)
            {
                Error(feature, $"feature view '{view.Name}' has no feature '{feature.Feature}'{Suggest.Hint(feature.Feature, view.Features.Select(f => f.Name).ToList())} (it has {string.Join(", ", view.Features.Select(f => f.Name))})");
                continue;
            }

            if (data.KnownColumns.Contains(feature.Column, StringComparer.Ordinal))
            {
                Error(feature, $"the data already has a column '{feature.Column}', the name this feature's column takes; rename that column");
            }

            if (!used.Contains(view))
            {
                used.Add(view);
                CheckEntity(data, view, feature);
            }
        }

        var columns = data.KnownColumns.Count == 0 ? data.KnownColumns : [.. data.KnownColumns, .. data.Features.Select(f => f.Column)];
        return data with { FeatureViews = used, KnownColumns = columns };
    }

    private void CheckEntity(DataSpec data, FeatureViewSpec view, FeatureRef feature)
    {
        if (!checkData || data.KnownColumns.Count == 0)
        {
            return;
        }

        var missing = view.Entity.Where(e => !data.KnownColumns.Contains(e, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            Error(feature, $"feature view '{view.Name}' is keyed by {string.Join(", ", view.Entity.Select(e => $"'{e}'"))}, but the data has no column {string.Join(", ", missing.Select(e => $"'{e}'"))}");
        }
    }

    private string Unknown(string name)
    {
        if (views.Broken(name) is { } broken)
        {
            return $"feature view '{name}' has {broken.Errors.Count} error(s) in {broken.File}; 'mlops validate' lists them";
        }

        if (views.Folder is null)
        {
            return $"unknown feature view '{name}': there is no features folder next to the pipeline (features/ beside it or beside its folder; or give --features DIR)";
        }

        return $"unknown feature view '{name}'{Suggest.Hint(name, views.Views.Select(v => v.Name).ToList())} (views in {views.Folder}: {string.Join(", ", views.Views.Select(v => v.Name))})";
    }

    private void Error(FeatureRef feature, string message) => context.Errors.Add(feature.Mark, feature.Path, message);
}
