using Microsoft.ML;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// A real ML.NET model zip of about a given size: a term dictionary (value-to-key mapping) of distinct random tokens,
/// which ML.NET saves as text and must parse back when it loads, as it does a large featurizer's vocabulary.
/// </summary>
internal static class BigModel
{
    public static long Write(string path, long targetBytes)
    {
        var terms = 2_000_000;
        for (var attempt = 0; ; attempt++)
        {
            Save(path, terms);
            var size = new FileInfo(path).Length;
            if (attempt == 4 || Math.Abs(size - targetBytes) < targetBytes / 20)
            {
                return size;
            }

            terms = (int)(terms * (double)targetBytes / size);
        }
    }

    private static void Save(string path, int terms)
    {
        var ml = new MLContext(seed: 5);
        var random = new Random(5);
        var rows = Enumerable.Range(0, terms).Select(i => new Row { Token = $"{i:x8}{random.NextInt64():x16}" });
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Conversion.MapValueToKey("Key", nameof(Row.Token), maximumNumberOfKeys: int.MaxValue).Fit(data);
        ml.Model.Save(model, data.Schema, path);
    }

    private sealed class Row
    {
        public string Token { get; set; } = "";
    }
}
