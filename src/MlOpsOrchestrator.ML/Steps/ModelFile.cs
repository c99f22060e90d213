using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>Loading and saving the model zip: the whole transform chain (featurization + predictor) with its input schema.</summary>
internal static class ModelFile
{
    public const string FileName = "model.zip";

    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, Stream stream) =>
        ml.Model.Save(model, inputSchema, stream);

    public static ITransformer Load(MLContext ml, string path) => Load(ml, path, out _);

    /// <summary>Loads the chain and the input schema saved with it (the raw columns the model reads).</summary>
    public static ITransformer Load(MLContext ml, string path, out DataViewSchema inputSchema)
    {
        // Models with datetime features carry a custom mapping that resolves only once its assembly is registered.
        ml.ComponentCatalog.RegisterAssembly(typeof(DateTimeParts).Assembly);
        using var stream = File.OpenRead(path);
        return ml.Model.Load(stream, out inputSchema);
    }

    /// <summary>
    /// The chain without its final key-to-value mapping: multiclass models end by turning the predicted key back into
    /// the class name, and the evaluator needs the key.
    /// </summary>
    public static ITransformer ForEvaluation(ITransformer model)
    {
        if (model is TransformerChain<ITransformer> chain && chain.LastTransformer is KeyToValueMappingTransformer)
        {
            var parts = chain.ToArray();
            return new TransformerChain<ITransformer>(parts[..^1]);
        }

        return model;
    }
}
