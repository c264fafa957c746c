using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Engine.Data;

/// <summary>
/// Loads CSV files (header row, comma-separated, invariant culture; .gz read transparently) with
/// CsvHelper's parser, straight into one contiguous float array. Anything malformed is refused with a
/// <see cref="DataFormatException"/> naming the file, line and column; nothing else is thrown for bad content.
/// </summary>
public static class CsvDataset
{
    /// <summary>Integer targets with at most this many distinct values are taken as classes when the task is not given.</summary>
    public const int MaxAutoClasses = 20;

    /// <summary>Loads a dataset: features and a target column, as <paramref name="options"/> choose.</summary>
    public static Dataset Load(string path, CsvLoadOptions? options = null)
    {
        var table = CsvTable.Read(path, options ?? new CsvLoadOptions(), requireTarget: true);
        return table.ToDataset(options ?? new CsvLoadOptions());
    }

    /// <summary>Loads only the named feature columns (for prediction: a target column may be absent).</summary>
    public static Matrix<float> LoadFeatures(string path, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        return CsvTable.Read(path, new CsvLoadOptions { Features = featureNames }, requireTarget: false).Features;
    }

    /// <summary>Files at least this long (or gzip files) are decoded on a second thread while the first parses.</summary>
    internal const long PipelineMinBytes = 1 << 20;

    /// <summary>Loads a dataset, choosing whether decoding runs on its own thread (tests run both ways).</summary>
    internal static Dataset Load(string path, CsvLoadOptions? options, bool? pipelined)
    {
        var table = CsvTable.Read(path, options ?? new CsvLoadOptions(), requireTarget: true, pipelined);
        return table.ToDataset(options ?? new CsvLoadOptions());
    }

    /// <summary>
    /// Opens a file as text, through gzip when it starts with the gzip magic bytes; the encoding comes from a BOM
    /// (UTF-8, UTF-16, UTF-32), else UTF-8, with invalid bytes decoded to U+FFFD and flagged in <paramref name="invalid"/>.
    /// <paramref name="expectedChars"/> estimates the text's length (from the file size or the gzip trailer).
    /// Large files are decoded on a second thread (<paramref name="pipelined"/> null: by size).
    /// </summary>
    internal static TextReader OpenText(string path, out InvalidUtf8Fallback invalid, out long expectedChars, bool? pipelined = null)
    {
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
                stream = new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16);
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

    /// <summary>The parser configuration: strict RFC 4180, invariant culture, repeated field strings pooled.</summary>
    internal static CsvConfiguration Configuration(Action<string> badData) => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = true,
        Delimiter = ",",
        DetectColumnCountChanges = false,
        CacheFields = true,
        BufferSize = 1 << 16,
        BadDataFound = args => badData(args.Field),
        IgnoreBlankLines = true,
        TrimOptions = TrimOptions.None,
    };
}
