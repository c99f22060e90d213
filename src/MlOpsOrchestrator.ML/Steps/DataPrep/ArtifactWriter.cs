using Microsoft.ML;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>Writes the prepared data through the artifact store, so every file appears atomically or not at all.</summary>
internal static class ArtifactWriter
{
    /// <summary>
    /// ML.NET's binary saver seeks back to write its table of contents, so a store that hands out a non-seekable
    /// stream gets the file through a local temporary copy.
    /// </summary>
    public static Task WriteDataViewAsync(IArtifactStore store, string relativePath, MLContext ml, IDataView view, CancellationToken ct) =>
        store.WriteAsync(relativePath, async (stream, token) =>
        {
            if (stream.CanSeek)
            {
                ml.Data.SaveAsBinary(view, stream, keepHidden: false);
                return;
            }

            var temporary = Path.Combine(Path.GetTempPath(), $"mlops-{Guid.NewGuid():N}.idv");
            try
            {
                await using (var file = File.Create(temporary))
                {
                    ml.Data.SaveAsBinary(view, file, keepHidden: false);
                }

                await using var copy = File.OpenRead(temporary);
                await copy.CopyToAsync(stream, token);
            }
            finally
            {
                File.Delete(temporary);
            }
        }, ct);
}
