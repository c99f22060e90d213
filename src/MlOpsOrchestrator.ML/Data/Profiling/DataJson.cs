using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MlOpsOrchestrator.Execution;

namespace MlOpsOrchestrator.ML.Data.Profiling;

/// <summary>The JSON shape of <c>schema.json</c> and <c>profile.json</c>: camelCase names, enums as snake_case words, indented.</summary>
internal static class DataJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipComputed } },
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary><see cref="DatasetSchema.Features"/> is derived from the columns; writing it would only duplicate them.</summary>
    private static void SkipComputed(JsonTypeInfo info)
    {
        if (info.Type == typeof(DatasetSchema) && info.Properties.FirstOrDefault(p => p.Name == "features") is { } features)
        {
            info.Properties.Remove(features);
        }
    }
}
