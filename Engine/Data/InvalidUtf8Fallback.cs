using System.Text;

namespace Engine.Data;

/// <summary>
/// Decodes each invalid UTF-8 sequence (or UTF-16 or UTF-32, after their BOM) to U+FFFD and remembers that it
/// happened, so the loader can name the line and column of the bad bytes (a throwing decoder only knows that some
/// buffer ahead of the parser was bad).
/// </summary>
internal sealed class InvalidUtf8Fallback : DecoderFallback
{
    private int _count;

    /// <summary>Whether any invalid sequence has been decoded so far (read from the parsing thread).</summary>
    public bool Seen => Volatile.Read(ref _count) > 0;

    public override int MaxCharCount => 1;

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

    /// <summary>
    /// The encoding a text starting with <paramref name="start"/> is in (from its BOM: UTF-32, UTF-16, UTF-8; else
    /// UTF-8), decoding through a new fallback of this kind. Its preamble is that BOM, so a StreamReader skips the
    /// BOM itself and keeps this decoder: detecting it instead would switch to <see cref="System.Text.Encoding.UTF8"/>
    /// or <see cref="System.Text.Encoding.Unicode"/>, whose fallbacks replace invalid bytes without a word.
    /// </summary>
    public static Encoding Encoding(ReadOnlySpan<byte> start, out InvalidUtf8Fallback fallback)
    {
        fallback = new InvalidUtf8Fallback();
        Encoding bom = start switch
        {
            [0xFF, 0xFE, 0, 0] => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
            [0, 0, 0xFE, 0xFF] => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
            [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
            _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
        };
        var encoding = (Encoding)bom.Clone();
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
