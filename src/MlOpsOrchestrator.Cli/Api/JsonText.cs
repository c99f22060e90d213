using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Checks every string of a JSON body, field names included, against <see cref="InputText"/> before any endpoint reads
/// it: a lone surrogate (<c>"\udfff"</c>) or invalid UTF-8 would make <see cref="JsonElement.GetString"/> throw, and a
/// NUL would reach the database. Strings without escapes, the usual case, are checked on their bytes without copying.
/// </summary>
internal static class JsonText
{
    private const int StackLimit = 256;

    /// <summary>What is wrong with the first string that is not text, naming where it is; null when all are text.</summary>
    public static string? FirstProblem(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var path = new List<Segment>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    Advance(path);
                    path.Add(new Segment(reader.TokenType == JsonTokenType.StartArray, -1, 0, 0));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    if (Problem(ref reader) is { } nameProblem)
                    {
                        return $"a field name{(path.Count > 1 ? $" in '{Describe(json, path, path.Count - 1)}'" : "")} {nameProblem}";
                    }

                    path[^1] = path[^1] with { NameStart = (int)reader.TokenStartIndex + 1, NameLength = reader.ValueSpan.Length };
                    break;
                case JsonTokenType.String:
                    Advance(path);
                    if (Problem(ref reader) is { } valueProblem)
                    {
                        return path.Count == 0 ? $"the body {valueProblem}" : $"'{Describe(json, path, path.Count)}' {valueProblem}";
                    }

                    break;
                default:
                    Advance(path);
                    break;
            }
        }

        return null;
    }

    /// <summary>A value in an array moves the array's index on.</summary>
    private static void Advance(List<Segment> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }
    }

    private static string? Problem(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            // Unescaped JSON text holds no C0 control character, so only UTF-8 and the rarer controls need a look.
            return !Utf8.IsValid(raw) ? "is not valid UTF-8; send the body as UTF-8 text"
                : raw.IndexOfAny((byte)0x7F, (byte)0xC2) >= 0 ? InputText.TextProblem(Encoding.UTF8.GetString(raw), int.MaxValue)
                : null;
        }

        var rented = raw.Length > StackLimit ? ArrayPool<char>.Shared.Rent(raw.Length) : null;
        try
        {
            Span<char> buffer = rented is null ? stackalloc char[StackLimit] : rented;
            int length;
            try
            {
                length = reader.CopyString(buffer);
            }
            catch (InvalidOperationException)
            {
                return "is not valid Unicode (a lone UTF-16 surrogate escape such as \\udfff, or invalid UTF-8); send text";
            }

            return InputText.TextProblem(buffer[..length], int.MaxValue);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The path of the first <paramref name="depth"/> segments, e.g. <c>params.reason</c> or <c>[2].contract</c>.</summary>
    private static string Describe(ReadOnlySpan<byte> json, List<Segment> path, int depth)
    {
        var text = new StringBuilder();
        foreach (var segment in path.Take(depth))
        {
            if (segment.IsArray)
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
            else if (segment.NameLength == 0)
            {
                text.Append("[\"\"]"); // an empty field name: params[""], not "params."
            }
            else
            {
                text.Append(text.Length > 0 ? "." : "").Append(Encoding.UTF8.GetString(json.Slice(segment.NameStart, segment.NameLength)));
            }
        }

        return text.ToString();
    }

    private readonly record struct Segment(bool IsArray, int Index, int NameStart, int NameLength);
}
