using System.Text;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Text;

/// <summary>
/// Opens a CSV source's bytes as text in its declared <see cref="SourceEncoding"/>. UTF-8 is decoded strictly: each
/// invalid byte sequence is counted by the returned <see cref="InvalidBytes"/> (and read as U+FFFD, which a valid
/// file may also hold), so a reader can report where the file stops being UTF-8 instead of reading damaged values.
/// A UTF-8 byte order mark is skipped. Used by the loader (the header) and by data_prep (the rows), so both read a
/// file the same way.
/// </summary>
public static class SourceText
{
    /// <summary>A reader of <paramref name="stream"/> (disposed with it) and the counter of invalid UTF-8 sequences it meets.</summary>
    public static (StreamReader Reader, InvalidBytes Invalid) Open(Stream stream, SourceEncoding encoding, int bufferSize = -1)
    {
        var invalid = new InvalidBytes();
        return (new StreamReader(stream, Create(encoding, invalid), detectEncodingFromByteOrderMarks: false, bufferSize), invalid);
    }

    private static Encoding Create(SourceEncoding encoding, InvalidBytes invalid)
    {
        switch (encoding)
        {
            case SourceEncoding.Latin1:
                return Encoding.Latin1;
            case SourceEncoding.Windows1252:
                return CodePagesEncodingProvider.Instance.GetEncoding(1252)
                    ?? throw new InvalidOperationException("the windows-1252 code page is not available");
            default:
                // With the BOM as its preamble the reader skips a leading BOM itself; detecting byte order marks instead
                // would swap in the lenient Encoding.UTF8.
                var utf8 = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).Clone();
                utf8.DecoderFallback = invalid;
                return utf8;
        }
    }
}
