using Microsoft.ML;

namespace MlOpsOrchestrator.ML.Steps.Slicing;

/// <summary>Measures the chosen candidate and the production model on every slice, the same rows for both.</summary>
internal static class SliceScores
{
    public static IReadOnlyList<SliceMeasure> Measure(
        MLContext ml, IReadOnlyList<RowSlice> slices, ScoredModel candidate, ScoredModel? production, CancellationToken ct)
    {
        var measured = new List<SliceMeasure>(slices.Count);
        foreach (var slice in slices)
        {
            ct.ThrowIfCancellationRequested();
            measured.Add(new SliceMeasure(slice.Column, slice.Slice, slice.Rows, On(ml, candidate, slice), production is null ? null : On(ml, production, slice)));
        }

        return measured;
    }

    /// <summary>The model's metrics on the slice; none when the slice's rows do not allow them (ML.NET refuses, e.g. one class only).</summary>
    private static IReadOnlyDictionary<string, double> On(MLContext ml, ScoredModel model, RowSlice slice)
    {
        try
        {
            return model.Measure(ml, slice.View);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return new Dictionary<string, double>();
        }
    }
}
