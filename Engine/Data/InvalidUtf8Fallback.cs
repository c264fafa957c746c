using System.Text;

namespace Engine.Data;

/// <summary>
/// Decodes each invalid UTF-8 sequence to U+FFFD and remembers that it happened, so the loader can name the
/// line and column of the bad bytes (a throwing decoder only knows that some buffer ahead of the parser was bad).
/// </summary>
internal sealed class InvalidUtf8Fallback : DecoderFallback
{
    private int _count;

    /// <summary>Whether any invalid sequence has been decoded so far (read from the parsing thread).</summary>
    public bool Seen => Volatile.Read(ref _count) > 0;

    public override int MaxCharCount => 1;

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

    /// <summary>A UTF-8 encoding (no BOM written) that decodes through a new fallback of this kind.</summary>
    public static Encoding Utf8(out InvalidUtf8Fallback fallback)
    {
        fallback = new InvalidUtf8Fallback();
        var encoding = (Encoding)new UTF8Encoding(false).Clone();
        encoding.DecoderFallback = fallback;
        return encoding;
    }

    private sealed class Buffer(InvalidUtf8Fallback owner) : DecoderFallbackBuffer
    {
        private int _remaining;

        public override int Remaining => _remaining;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            Interlocked.Increment(ref owner._count);
            _remaining = 1;
            return true;
        }

        public override char GetNextChar()
        {
            if (_remaining == 0)
                return '\0';
            _remaining = 0;
            return '\uFFFD';
        }

        public override bool MovePrevious()
        {
            if (_remaining != 0)
                return false;
            _remaining = 1;
            return true;
        }

        public override void Reset() => _remaining = 0;
    }
}
