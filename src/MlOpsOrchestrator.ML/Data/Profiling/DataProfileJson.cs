using System.Text.Json;

namespace MlOpsOrchestrator.ML.Data.Profiling;

/// <summary>Reads and writes <see cref="DataProfile"/> (<c>profile.json</c>, and the <c>profile</c> property of a model version).</summary>
public static class DataProfileJson
{
    public static string Serialize(DataProfile profile) => JsonSerializer.Serialize(profile, DataJson.Options);

    public static DataProfile Deserialize(string json) =>
        JsonSerializer.Deserialize<DataProfile>(json, DataJson.Options) ?? throw new JsonException("profile.json holds null");

    public static Task WriteAsync(Stream stream, DataProfile profile, CancellationToken ct) =>
        JsonSerializer.SerializeAsync(stream, profile, DataJson.Options, ct);

    public static async Task<DataProfile> ReadAsync(Stream stream, CancellationToken ct) =>
        await JsonSerializer.DeserializeAsync<DataProfile>(stream, DataJson.Options, ct) ?? throw new JsonException("profile.json holds null");
}
