using System.Text.Json;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.ML.Data.Profiling;

/// <summary>
/// Reads and writes <see cref="DatasetSchema"/> as saved in <c>schema.json</c> beside the prepared data and as the
/// <c>schema</c> property of a model version: camelCase, enums as snake_case words (<c>"type": "categorical"</c>).
/// </summary>
public static class DatasetSchemaJson
{
    public static string Serialize(DatasetSchema schema) => JsonSerializer.Serialize(schema, DataJson.Options);

    public static DatasetSchema Deserialize(string json) =>
        JsonSerializer.Deserialize<DatasetSchema>(json, DataJson.Options) ?? throw new JsonException("schema.json holds null");

    public static Task WriteAsync(Stream stream, DatasetSchema schema, CancellationToken ct) =>
        JsonSerializer.SerializeAsync(stream, schema, DataJson.Options, ct);

    public static async Task<DatasetSchema> ReadAsync(Stream stream, CancellationToken ct) =>
        await JsonSerializer.DeserializeAsync<DatasetSchema>(stream, DataJson.Options, ct) ?? throw new JsonException("schema.json holds null");
}
