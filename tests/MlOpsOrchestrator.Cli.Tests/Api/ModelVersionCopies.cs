using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>New registered versions made from a deployed one, so a swap really loads a model (or fails to).</summary>
internal static class ModelVersionCopies
{
    /// <summary>Registers a new version whose model zip is a copy of <paramref name="source"/>'s (or garbage, to test a failed load).</summary>
    public static async Task<ModelVersion> RegisterAsync(IServiceProvider services, ModelVersion source, string runId, bool corrupt = false)
    {
        var artifacts = services.GetRequiredService<IArtifactStore>();
        var registry = services.GetRequiredService<IModelRegistry>();
        var path = $"runs/{runId}/train/model.zip";
        var from = artifacts.PathOf(source.ArtifactPath);
        await artifacts.WriteAsync(path, async (stream, ct) =>
        {
            if (corrupt)
            {
                await stream.WriteAsync("not a model"u8.ToArray(), ct);
            }
            else
            {
                await using var input = File.OpenRead(from);
                await input.CopyToAsync(stream, ct);
            }
        }, CancellationToken.None);
        return await registry.RegisterAsync(source with { RunId = runId, ArtifactPath = path, CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
    }
}
