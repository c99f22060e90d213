using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOpsOrchestrator.Storage.Sql;

/// <summary>
/// Dictionaries and lists are stored as JSON text. Doubles are written in their shortest round-trip form, and NaN and
/// infinities (an AUC on one class, a diverged loss) are written as names instead of failing the write.
/// </summary>
internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static string? WriteNullable<T>(T? value)
        where T : class => value is null ? null : JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string text) =>
        JsonSerializer.Deserialize<T>(text, Options) ?? throw new InvalidDataException($"The JSON column holds null where a {typeof(T).Name} was expected.");

    public static IReadOnlyDictionary<string, string> Strings(string text) => Read<Dictionary<string, string>>(text);

    public static IReadOnlyDictionary<string, double> Numbers(string text) => Read<Dictionary<string, double>>(text);

    public static IReadOnlyList<string> List(string text) => Read<List<string>>(text);
}
