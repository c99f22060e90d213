using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Reads a request body as JSON by hand rather than through model binding, so malformed JSON, a wrong shape or an
/// unknown field is a 400 with a message saying what is wrong, never a framework error page. A body whose strings are
/// not text (<see cref="JsonText"/>) is refused here too, before any endpoint reads a value.
/// </summary>
internal static class ApiBody
{
    /// <summary>The body as a JSON value (null when the body is empty), or the reason it is not JSON.</summary>
    public static async Task<(JsonElement? Value, string? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var (document, error) = await ReadDocumentAsync(request, ct);
        using (document)
        {
            return (document?.RootElement.Clone(), error);
        }
    }

    /// <summary>
    /// As <see cref="ReadAsync"/>, without copying the parsed value out: the caller disposes the document when done
    /// with it. The document reads the body's own buffer.
    /// </summary>
    public static async Task<(JsonDocument? Document, string? Error)> ReadDocumentAsync(HttpRequest request, CancellationToken ct)
    {
        var length = request.ContentLength is > 0 and <= 1 << 20 ? (int)request.ContentLength.Value : 256;
        var buffer = new MemoryStream(length);
        await request.Body.CopyToAsync(buffer, ct);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return (null, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            return (null, $"the request body is not valid JSON: {ex.Message}");
        }

        // Once here, for every endpoint: past this point every string of the body is text (GetString cannot throw).
        if (JsonText.FirstProblem(bytes.Span) is { } problem)
        {
            document.Dispose();
            return (null, problem);
        }

        return (document, null);
    }

    /// <summary>Checks that <paramref name="body"/> is an object with no fields beyond <paramref name="allowed"/>.</summary>
    public static string? CheckObject(JsonElement body, params string[] allowed)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return $"the request body must be a JSON object, not {Describe(body.ValueKind)}";
        }

        var unknown = body.EnumerateObject().Select(p => p.Name).Where(n => !allowed.Contains(n, StringComparer.Ordinal)).ToList();
        return unknown.Count == 0
            ? null
            : $"unknown field(s) {Echo.Quoted(unknown)}; expected {Echo.Quoted(allowed)}";
    }

    /// <summary>A string field: null when absent or JSON null; an error when it is there but not a string.</summary>
    public static (string? Value, string? Error) String(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        return value.ValueKind == JsonValueKind.String
            ? (value.GetString(), null)
            : (null, $"'{name}' must be a string, not {Describe(value.ValueKind)}");
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
