using System.Globalization;
using System.Text;

namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>
/// One generated request. <paramref name="MustBeRefused"/>: it would write (start a run, decide a step, move an alias)
/// if it were accepted, and the generator made sure something in it is malformed, so any answer below 400 is a bug.
/// </summary>
internal sealed record FuzzRequest(int Index, string Route, HttpMethod Method, string Path, byte[]? Body, string? ContentType, bool Browser, bool MustBeRefused)
{
    /// <summary>The request, printable and exact (bytes outside printable ASCII escaped), to reproduce a failure.</summary>
    public string Describe(int seed)
    {
        var text = new StringBuilder($"seed {seed} request #{Index} ({Route}): {Method} {Path}");
        if (ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" [Content-Type: {ContentType}]");
        }

        if (Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" body ({Body.Length} bytes): ");
            foreach (var b in Body.Take(300))
            {
                text.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}");
            }

            if (Body.Length > 300)
            {
                text.Append("...");
            }
        }

        return text.ToString();
    }
}
