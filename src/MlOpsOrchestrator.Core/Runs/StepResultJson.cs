using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOpsOrchestrator.Runs;

/// <summary>
/// A result as stored: <c>{"version":1,"kind":"deploy","result":{"deployed":{"name":"churn","version":3},"note":"…"}}</c>.
/// The kind names the record type (one line per type in <see cref="Kinds"/>); the version is the format of the
/// records. A result of another version or an unknown kind, or one that does not read as its type, reads as an
/// <see cref="UnrecognisedResult"/> keeping the stored text: a run written by a newer version still shows.
/// </summary>
public static class StepResultJson
{
    /// <summary>The format written. Adding an optional field keeps it; renaming or retyping one raises it.</summary>
    public const int Version = 1;

    private static readonly (string Kind, Type Type)[] Kinds =
    [
        ("data_prep", typeof(PrepResult)),
        ("train", typeof(TrainResult)),
        ("evaluate", typeof(EvaluateResult)),
        ("deploy", typeof(DeployResult)),
        ("monitor", typeof(MonitorResult)),
        ("retrain", typeof(RetrainResult)),
        ("note", typeof(NoteResult)),
    ];

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>The stored text of <paramref name="result"/>; null for none. An unrecognised result is written back as it was read.</summary>
    public static string? Write(StepResult? result)
    {
        switch (result)
        {
            case null:
                return null;
            case UnrecognisedResult unrecognised:
                return unrecognised.Json;
        }

        var type = result.GetType();
        var kind = Array.Find(Kinds, k => k.Type == type).Kind
            ?? throw new ArgumentException($"{type.Name} is not a stored result type; add it to {nameof(StepResultJson)}.{nameof(Kinds)}", nameof(result));
        return JsonSerializer.Serialize(new Envelope(Version, kind, JsonSerializer.SerializeToElement(result, type, Options)), Options);
    }

    /// <summary>The result stored as <paramref name="json"/> by <see cref="Write"/>, of this version or another.</summary>
    public static StepResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(json, Options);
        }
        catch (JsonException)
        {
            envelope = null;
        }

        var kind = envelope?.Kind ?? "";
        var version = envelope?.Version ?? 0;
        var type = Array.Find(Kinds, k => k.Kind == kind).Type;
        if (envelope is not null && version == Version && type is not null)
        {
            try
            {
                if (envelope.Result.Deserialize(type, Options) is StepResult result)
                {
                    return result;
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
            {
                // Not this version's shape after all: kept as unrecognised below.
            }
        }

        return Unrecognised(kind, version, json, envelope?.Result);
    }

    private static UnrecognisedResult Unrecognised(string kind, int version, string json, JsonElement? result)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (result is { ValueKind: JsonValueKind.Object } fields)
        {
            foreach (var field in fields.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.String))
            {
                outputs[field.Name] = field.Value.GetString()!;
            }
        }

        return new UnrecognisedResult
        {
            Kind = kind,
            Version = version,
            Json = json,
            Outputs = outputs,
            Note = outputs.GetValueOrDefault("note"),
        };
    }

    private sealed record Envelope(int Version, string Kind, JsonElement Result);
}
