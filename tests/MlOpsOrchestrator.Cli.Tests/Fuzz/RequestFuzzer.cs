using System.Text;
using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>
/// Generates malformed requests for a set of routes from a seed: the same seed, routes and targets give the same
/// requests, so a failure is reproduced by its seed and index. Path values, query strings, JSON bodies and form fields
/// get bad JSON, wrong types, text that is not text (NUL, controls, lone surrogates, invalid UTF-8), huge values,
/// path traversal, SQL metacharacters and unknown names. A request that would write if accepted (start a run, decide
/// the waiting step, move an alias) always carries at least one defect; <see cref="FuzzRequest.MustBeRefused"/> says so.
/// </summary>
internal sealed partial class RequestFuzzer(int seed, IReadOnlyList<FuzzRoute> routes, FuzzTargets targets)
{
    /// <summary>Above Kestrel's 30 MB default request body limit.</summary>
    private const int HugeBodyBytes = 31 * 1024 * 1024;

    private static readonly string[] SyntaxErrors =
    [
        "{", "}", "{\"mode\":}", "[1,2", "{'mode':'full'}", "\"unterminated", "{\"a\":1,}", "nul", "{\"a\":1}{}", "{\"a\" 1}", "{a:1}",
        "{\"a\":01}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "/* c */ {}", "{\"a\":1} // c", "\u0000",
        "\uFEFF{\"a\":1", "{\"a\":\"line\nbreak\"}", "{\"a\":\"tab\tinside\"}", "[" + new string('[', 200), new string('[', 5000) + new string(']', 5000),
    ];

    private static readonly string[] WrongTypes = ["[]", "1", "true", "[1,2]", "{\"a\":{}}", "-0.0e-0", "[\"\\u0000\"]"];

    private static readonly string[] TopLevelNotObject = ["[]", "1", "\"text\"", "true", "null", "[{}]", "[null]", "-1e400"];

    private static readonly string[] ContentTypes = ["application/json", "application/json", "application/json", "application/json; charset=utf-8", "text/plain", "application/json; charset=latin1", "application/x-www-form-urlencoded"];

    private readonly Random _random = new(seed);
    private int _huge;

    public int Seed => seed;

    public IEnumerable<FuzzRequest> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            // Every route in turn first, then at random: each route gets its share whatever the count.
            var route = i < routes.Count * 4 ? routes[i % routes.Count] : routes[_random.Next(routes.Count)];
            yield return Next(i, route);
        }
    }

    private FuzzRequest Next(int index, FuzzRoute route)
    {
        var values = new List<string>();
        var path = Parameter().Replace(route.Template, m =>
        {
            var (raw, encoded) = PathValue(m.Groups["name"].Value);
            values.Add(raw);
            return encoded;
        });
        var realTarget = values.All(targets.IsReal);
        if (Chance(0.5))
        {
            path += Query();
        }

        var writes = route.Kind is FuzzRouteKind.StartRun or FuzzRouteKind.Approve or FuzzRouteKind.Reject
            or FuzzRouteKind.DashboardApprove or FuzzRouteKind.DashboardReject or FuzzRouteKind.DashboardPromote or FuzzRouteKind.DashboardRollback;
        var mustBeRefused = writes && realTarget;
        if (route.Method == HttpMethod.Get)
        {
            return new FuzzRequest(index, route.ToString(), route.Method, path, null, null, route.Dashboard, false);
        }

        if (route.Dashboard)
        {
            var form = Form(route.Kind, mustBeRefused);
            var formType = Chance(0.05) ? Pick(["multipart/form-data; boundary=x", "multipart/form-data", "application/x-www-form-urlencoded; charset=utf-16"]) : "application/x-www-form-urlencoded";
            return new FuzzRequest(index, route.ToString(), route.Method, path, form, formType, true, mustBeRefused);
        }

        var body = Json(route.Kind, defective: mustBeRefused || route.Kind == FuzzRouteKind.OtherPost || Chance(0.85));
        return new FuzzRequest(index, route.ToString(), route.Method, path, body, body is null ? null : Pick(ContentTypes), false, mustBeRefused);
    }

    /// <summary>A path value: the real target half the time, else something hostile. Returns the value and its URL form.</summary>
    private (string Raw, string Encoded) PathValue(string parameter)
    {
        if (Chance(0.5))
        {
            var real = targets.RealValue(parameter, _random);
            return (real, Uri.EscapeDataString(real));
        }

        return _random.Next(3) switch
        {
            0 => Encoded(Pick(HostileText.NotAName)),
            1 => Same(Pick(_random.Next(3) switch { 0 => HostileText.LineBreaksEncoded, 1 => HostileText.EscapedNotUtf8, _ => HostileText.NotTextEncoded })),
            _ => Encoded(Chance(0.1) ? new string('a', _random.Next(200, 5000)) : Pick(HostileText.Odd)),
        };
    }

    private static (string Raw, string Encoded) Encoded(string value) => (value, Uri.EscapeDataString(value));

    private static (string Raw, string Encoded) Same(string encoded) => (encoded, encoded);

    private string Query()
    {
        var parts = new List<string>();
        for (var n = _random.Next(1, 4); n > 0; n--)
        {
            var key = _random.Next(6) switch
            {
                0 => "pipeline",
                1 => "limit",
                2 => "alias",
                3 => Pick(["from", "count", "zzz", "pipeline[]", "", "limit"]),
                4 => Uri.EscapeDataString(Pick(HostileText.NotAName)),
                _ => Pick(HostileText.NotTextEncoded),
            };
            var value = _random.Next(4) switch
            {
                0 => Uri.EscapeDataString(Pick(HostileText.NotAName)),
                1 => Pick(_random.Next(3) switch { 0 => HostileText.LineBreaksEncoded, 1 => HostileText.EscapedNotUtf8, _ => HostileText.NotTextEncoded }),
                2 => Uri.EscapeDataString(Pick(HostileText.Odd)),
                _ => Chance(0.5) ? new string('q', _random.Next(100, 9000)) : Pick(["0", "-5", "501", "abc", "1.5", "%", "2147483648", "1,2"]),
            };
            parts.Add(Chance(0.1) ? key : $"{key}={value}");
        }

        return "?" + string.Join("&", parts);
    }

    /// <summary>A JSON body for an API POST; <paramref name="defective"/>: certainly refused by any reading of the route.</summary>
    private byte[]? Json(FuzzRouteKind kind, bool defective)
    {
        if (defective && _huge < 2 && Chance(0.01))
        {
            _huge++;
            return Encoding.ASCII.GetBytes("{\"x\":\"" + new string('a', HugeBodyBytes) + "\"}");
        }

        var field = Pick(Fields(kind));
        switch (_random.Next(defective ? 9 : 12))
        {
            case 0:
                return Utf8(Pick(SyntaxErrors));
            case 1:
                return Utf8(Pick(TopLevelNotObject));
            case 2:
                // A wrong type for the field itself (a run parameter may be a number or a boolean, so not inside params).
                return Utf8(Wrap(kind, field, Pick(WrongTypes), nested: false));
            case 3:
                return Utf8(kind == FuzzRouteKind.StartRun && Chance(0.5)
                    ? $"{{\"params\":{{{Pick(HostileText.NotTextJson)}:\"v\"}}}}"
                    : Wrap(kind, field, Pick(HostileText.NotTextJson)));
            case 4:
                return Utf8($"{{{Quote(field)}:\"x\",{Quote(Pick(["zzz", "Mode", "params ", "", "by\u0000", "__proto__"]))}:1}}");
            case 5:
                return Utf8(Wrap(kind, field, Quote(new string('a', _random.Next(100_000, 2_000_000)))));
            case 6:
                var bytes = new List<byte>(Utf8(Wrap(kind, field, "\"a#b\"")));
                var at = bytes.IndexOf((byte)'#');
                bytes.RemoveAt(at);
                bytes.InsertRange(at, Pick(HostileText.NotUtf8));
                return [.. bytes];
            case 7:
                return Utf8($"{{\"params\":{{{Quote(Pick(HostileText.NotAName))}:\"v\"}}{(kind == FuzzRouteKind.StartRun ? "" : ",\"zzz\":1")}}}");
            case 8:
                return Utf8(new string('[', 70) + new string(']', 70));
            case 9:
                return Chance(0.5) ? null : Utf8(Pick(["", " ", "\r\n\t"]));
            case 10:
                return Utf8(Wrap(kind, field, Quote(Pick(HostileText.Odd))));
            default:
                return Utf8(Wrap(kind, field, Quote(Pick(HostileText.NotAName))));
        }
    }

    private static string[] Fields(FuzzRouteKind kind) => kind switch
    {
        FuzzRouteKind.StartRun => ["mode", "params"],
        FuzzRouteKind.Approve => ["by"],
        FuzzRouteKind.Reject => ["reason", "by"],
        FuzzRouteKind.Predict => ["contract", "payment", "monthly_charges", "last_note", "signup_ts"],
        _ => ["x"],
    };

    /// <summary>An object with <paramref name="field"/> set to <paramref name="json"/>; run parameters go inside <c>params</c>.</summary>
    private string Wrap(FuzzRouteKind kind, string field, string json, bool nested = true)
    {
        var member = nested && kind == FuzzRouteKind.StartRun && field == "params" ? $"\"params\":{{\"k\":{json}}}" : $"{Quote(field)}:{json}";
        if (kind == FuzzRouteKind.Predict)
        {
            var row = $"{{\"contract\":\"monthly\",\"payment\":\"check\",\"monthly_charges\":10,\"last_note\":\"n\",{member}}}";
            return Chance(0.3) ? $"[{row},{row}]" : row;
        }

        return kind == FuzzRouteKind.Reject && field == "by" ? $"{{\"reason\":\"r\",{member}}}" : $"{{{member}}}";
    }

    /// <summary>A dashboard form; <paramref name="defective"/>: certainly refused (a bad value, or a bad antiforgery token).</summary>
    private byte[] Form(FuzzRouteKind kind, bool defective)
    {
        var fields = new List<(string Key, byte[] Value)>();
        var badToken = Chance(defective ? 0.3 : 0.15);
        fields.Add(("__RequestVerificationToken", badToken ? Hostile() : Ascii(Uri.EscapeDataString(targets.AntiforgeryToken))));
        switch (kind)
        {
            case FuzzRouteKind.DashboardReject:
                fields.Add(("reason", Chance(0.5) ? Hostile() : Ascii(Uri.EscapeDataString(Pick(["", " ", new string('r', 501), "stop"])))));
                break;
            case FuzzRouteKind.DashboardPromote or FuzzRouteKind.DashboardRollback:
                fields.Add(("alias", Chance(0.7) ? Hostile() : Ascii(Uri.EscapeDataString(Pick(HostileText.Odd)))));
                fields.Add(("version", Ascii(Uri.EscapeDataString(Pick(["1", "2", "0", "-1", "abc", "", "1.0", "99999999999", "1 ", "\u0661"])))));
                break;
            case FuzzRouteKind.DashboardOtherPost:
                fields.Add((Pick(["metrics[]", "jobs[]"]), Hostile()));
                break;
            default:
                fields.Add((Pick(["note", "by", "reason", ""]), Hostile()));
                break;
        }

        if (defective && !badToken && !fields.Skip(1).Any(f => IsNotText(f.Value)))
        {
            // Nothing malformed drawn yet: make one value not text.
            fields.Add((Pick(["reason", "alias", "note"]), Ascii(Pick(HostileText.NotTextEncoded))));
        }

        var body = new List<byte>();
        foreach (var (key, value) in fields.OrderBy(_ => _random.Next()))
        {
            if (body.Count > 0)
            {
                body.Add((byte)'&');
            }

            body.AddRange(Ascii(Uri.EscapeDataString(key)));
            body.Add((byte)'=');
            body.AddRange(value);
        }

        return [.. body];
    }

    /// <summary>A form value: not text, not UTF-8, not a name, or huge (already URL-encoded where it is text).</summary>
    private byte[] Hostile() => _random.Next(4) switch
    {
        0 => Ascii(Pick(HostileText.NotTextEncoded)),
        1 when Chance(0.5) => Ascii(Pick(HostileText.EscapedNotUtf8)),
        1 => Pick(HostileText.NotUtf8),
        2 => Ascii(Uri.EscapeDataString(Pick(HostileText.NotAName))),
        _ => Ascii(new string('v', _random.Next(5000, 100_000))),
    };

    private static bool IsNotText(byte[] value)
    {
        var text = Encoding.ASCII.GetString(value);
        return value.Any(b => b >= 0x80) || value.Length >= 5000 || HostileText.NotTextEncoded.Contains(text);
    }

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    [GeneratedRegex(@"\{(?<name>[a-z]+)(:[^}]*)?\}")]
    private static partial Regex Parameter();
}
