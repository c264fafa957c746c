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

    /// <summary>Opens a file as text, through gzip when it starts with the gzip magic bytes; the encoding comes from a BOM, else UTF-8.</summary>
    internal static TextReader OpenText(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: file not found.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Stream stream = file;
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            stream = new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 20);
        return new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 16);
    }

    /// <summary>The parser configuration: strict RFC 4180, invariant culture, repeated field strings pooled.</summary>
    internal static CsvConfiguration Configuration(Action<string> badData) => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = true,
        Delimiter = ",",
        DetectColumnCountChanges = false,
        CacheFields = true,
        BadDataFound = args => badData(args.Field),
        IgnoreBlankLines = true,
        TrimOptions = TrimOptions.None,
    };
}
