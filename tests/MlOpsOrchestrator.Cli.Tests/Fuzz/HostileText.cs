namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>
/// The values a hostile or careless client sends, sorted by what the server must do with them: text that is not text
/// (always refused), text that is not a name (refused where a name is expected), and odd but valid text.
/// </summary>
internal static class HostileText
{
    /// <summary>JSON string literals (with their quotes) that no field may accept: NUL, controls, lone surrogates.</summary>
    public static readonly string[] NotTextJson =
    [
        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\u0001\"", "\"\\u001b[31mred\"", "\"\\u007f\"", "\"\\u0085\"", "\"\\udfff\"", "\"\\ud800\"",
        "\"x\\ud800y\"", "\"\\udc00\\ud800\"", "\"\\ud83d\"", "\"ok\\u0000\"", "\"\\u0008\\u000b\\u000c\"",
    ];

    /// <summary>Byte sequences that are not UTF-8, to put inside a JSON string or a form value.</summary>
    public static readonly byte[][] NotUtf8 =
    [
        [0xFF], [0xFE, 0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE2, 0x82], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
    ];

    /// <summary>Percent-encoded values no path segment, query value or form value may carry.</summary>
    public static readonly string[] NotTextEncoded =
    [
        "%00", "a%00b", "%01", "%1B%5B31m", "%7F", "%C2%85", "ok%00", "%08",
    ];

    /// <summary>
    /// Percent-escapes of bytes that are not UTF-8: the web server leaves them undecoded, so the value is the literal
    /// text <c>%FF</c> (odd, but text, and never a name).
    /// </summary>
    public static readonly string[] EscapedNotUtf8 = ["%ED%A0%80", "%FF", "%C0%80", "%E2%82", "%F0%9F"];

    /// <summary>Percent-encoded line breaks and tabs: refused in one-line values, allowed in free text such as a reason.</summary>
    public static readonly string[] LineBreaksEncoded = ["%0A", "%0D%0A", "%09", "a%0Ab"];

    /// <summary>Valid text that is no name: a run, step, model or alias of that name never exists and cannot be created.</summary>
    public static readonly string[] NotAName =
    [
        "../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "..", "'; DROP TABLE runs; --", "\" OR 1=1 --", "1' OR '1'='1",
        "churn-api'--", "churn-api;", "%", "%%", "%2e%2e%2f", "{name}", "$(reboot)", "`id`", "<script>alert(1)</script>", "a b", " ",
        "\u202Eevil", "churn\u2011api", "ＣＨＵＲＮ", "🙂", "x" + new string('y', 150), "*", "?", "#", "&", "=", "+", "\\", "null\\u0000",
    ];

    /// <summary>Odd values that are valid text (and sometimes valid names): accepted wherever free text is, never as a new alias.</summary>
    public static readonly string[] Odd =
    [
        "", "null", "true", "false", "0", "-1", "1e400", "NaN", "Infinity", "99999999999999999999", "0x10", "1.5", "full", "incremental", "FULL",
        "production", "deploy", "train", "churn-api", "broken", "unknown-pipeline", "é", "日本語", "tab\there",
    ];
}
