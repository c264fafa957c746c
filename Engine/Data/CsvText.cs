using System.IO.Compression;

namespace Engine.Data;

/// <summary>Opens a CSV file as text: gzip or not, the encoding from a BOM, large files decoded on a second thread.</summary>
internal static class CsvText
{
    /// <summary>Files at least this long (or gzip files) are decoded on a second thread while the first parses.</summary>
    internal const long PipelineMinBytes = 1 << 20;

    /// <summary>
    /// Opens a file as text, through gzip when it starts with the gzip magic bytes; the encoding comes from a BOM
    /// (UTF-8, UTF-16, UTF-32), else UTF-8, with invalid bytes decoded to U+FFFD and flagged in <paramref name="invalid"/>.
    /// <paramref name="expectedChars"/> estimates the text's length (from the file size or the gzip trailer).
    /// Large files are decoded on a second thread (<paramref name="pipelined"/> null: by size).
    /// </summary>
    public static TextReader Open(string path, out InvalidUtf8Fallback invalid, out long expectedChars, bool? pipelined = null)
    {
        if (Directory.Exists(path))
            throw new DataFormatException(path, null, null, "is a directory, not a CSV file.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: file not found.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Stream stream = file;
        try
        {
            Span<byte> magic = stackalloc byte[4];
            int read = file.ReadAtLeast(magic[..2], 2, throwOnEndOfStream: false);
            expectedChars = file.Length;
            bool gzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            if (gzip && file.Length >= 18)
            {
                file.Position = file.Length - 4; // ISIZE: the uncompressed length mod 2^32
                file.ReadExactly(magic);
                long size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(magic);
                // the trailer is not checked until the end: a truncated or corrupt file's is any number, so
                // trust it no further than deflate's largest ratio (about 1032:1) makes possible
                expectedChars = size >= file.Length ? Math.Min(size, file.Length * 1032) : file.Length * 4;
            }
            // The text's first bytes choose the encoding (a BOM, else UTF-8); the decoder is always ours, so that
            // invalid text is flagged whatever the encoding (StreamReader's own detection would pick decoders that
            // replace invalid bytes without a word).
            file.Position = 0;
            int start;
            if (gzip)
            {
                using (var peek = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
                    start = peek.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
                file.Position = 0;
                var tail = new GzipTrailerCheck.Tail(file);
                stream = new BufferedStream(new GzipTrailerCheck(path, new GZipStream(tail, CompressionMode.Decompress), tail), 1 << 16);
            }
            else
            {
                start = file.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
                file.Position = 0;
            }
            var text = new StreamReader(stream, InvalidUtf8Fallback.Encoding(magic[..start], out invalid), detectEncodingFromByteOrderMarks: false, 1 << 16);
            bool pipeline = pipelined ?? (stream != file || file.Length >= PipelineMinBytes);
            return pipeline ? new PipelinedTextReader(text) : text;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}

/// <summary>
/// Checks a gzip stream's trailer: .NET's <see cref="GZipStream"/> ends quietly where a truncated file ends, so the
/// CRC-32 and the length of what was inflated are compared with the last 8 bytes of the file (the trailer, RFC 1952)
/// when the inflated data ends; a mismatch is "the gzip stream is truncated". (A file of several concatenated gzip
/// members is checked against its last member's trailer, so it is refused too.)
/// </summary>
internal sealed class GzipTrailerCheck(string path, Stream inflated, GzipTrailerCheck.Tail tail) : ForwardOnlyStream(inflated)
{
    private readonly System.IO.Hashing.Crc32 _crc = new();
    private long _length;
    private bool _checked;

    protected override long Consumed => _length;

    public override int Read(Span<byte> buffer)
    {
        int n = Inner.Read(buffer);
        if (n > 0)
        {
            _crc.Append(buffer[..n]);
            _length += n;
        }
        else if (!buffer.IsEmpty && !_checked)
        {
            _checked = true;
            Span<byte> trailer = stackalloc byte[8];
            bool ok = tail.TryGetLast8(trailer)
                && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer) == _crc.GetCurrentHashAsUInt32()
                && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == (uint)_length;
            if (!ok)
                throw new DataFormatException(path, null, null,
                    $"the gzip stream is truncated: it ends after {_length} bytes of text without a matching trailer (CRC-32 and length); was the file cut short?");
        }
        return n;
    }

    /// <summary>Passes a stream through, remembering the last 8 bytes read from it.</summary>
    internal sealed class Tail(Stream inner) : ForwardOnlyStream(inner)
    {
        private readonly byte[] _last = new byte[8];
        private long _total;

        public bool TryGetLast8(Span<byte> destination)
        {
            if (_total < 8)
                return false;
            int start = (int)(_total % 8); // _last is a ring: byte i of the stream lives at i % 8
            for (int i = 0; i < 8; i++)
                destination[i] = _last[(start + i) % 8];
            return true;
        }

        protected override long Consumed => _total;

        public override int Read(Span<byte> buffer)
        {
            int n = Inner.Read(buffer);
            int from = Math.Max(0, n - 8);
            for (int i = from; i < n; i++)
                _last[(int)((_total + i) % 8)] = buffer[i];
            _total += n;
            return n;
        }
    }
}
