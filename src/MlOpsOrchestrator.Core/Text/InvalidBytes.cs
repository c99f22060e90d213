using System.Text;

namespace MlOpsOrchestrator.Text;

/// <summary>
/// A decoder fallback that counts the byte sequences that are not valid in the encoding and reads each as one U+FFFD.
/// One instance per reader: the count belongs to one file.
/// </summary>
public sealed class InvalidBytes : DecoderFallback
{
    /// <summary>The invalid sequences decoded so far (the reader decodes ahead of the line it returns).</summary>
    public int Count { get; private set; }

    public override int MaxCharCount => 1;

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

    private sealed class Buffer(InvalidBytes owner) : DecoderFallbackBuffer
    {
        private int _remaining;

        public override int Remaining => _remaining;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            owner.Count++;
            _remaining = 1;
            return true;
        }

        public override char GetNextChar()
        {
            if (_remaining == 0)
            {
                return '\0';
            }

            _remaining--;
            return '\uFFFD';
        }

        public override bool MovePrevious()
        {
            if (_remaining > 0)
            {
                return false;
            }

            _remaining = 1;
            return true;
        }

        public override void Reset() => _remaining = 0;
    }
}
