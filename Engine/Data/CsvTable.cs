using CsvHelper;

namespace Engine.Data;

/// <summary>
/// The raw result of reading a CSV: float features, text columns and the target column's text, with each row's line.
/// Reading runs the stages in turn: <see cref="CsvRecordReader"/> (text and records), <see cref="CsvColumns"/> (which
/// column is what), <see cref="RowConverter"/> (records to numbers and text, on its own thread for large files).
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Columns">Which column is what.</param>
/// <param name="Features">Rows × features floats (NaN where missing, and in the columns kept as text).</param>
/// <param name="Target">The target's text per row (null where missing; empty when no target is read).</param>
/// <param name="Reads">Per feature: how it was read.</param>
/// <param name="Lines">The line each row starts on.</param>
internal sealed record CsvTable(string Path, CsvColumns Columns, Matrix<float> Features, TextColumn Target, ColumnRead[] Reads, List<long> Lines)
{
    /// <summary>The target's text per row.</summary>
    public List<string?> TargetText => Target.Values;

    /// <summary>Reads a file strictly (every feature a number, see <see cref="ColumnMode.Strict"/>), as <see cref="CsvDataset"/> does.</summary>
    public static CsvTable Read(string path, CsvLoadOptions options, bool requireTarget, bool? pipelined = null) =>
        Read(path, options.ToTableOptions(requireTarget), markers: null, textColumns: null, pipelined);

    /// <summary>
    /// Reads the file's header and rows; anything malformed is a <see cref="DataFormatException"/>, the first in file
    /// order. <paramref name="markers"/> null: strict; else the columns are read as <see cref="CsvColumns.Resolve"/> says,
    /// with <paramref name="textColumns"/> as text from the first row. <paramref name="pipelined"/> null: by file size.
    /// </summary>
    public static CsvTable Read(string path, TableOptions options, MissingMarkers? markers, IReadOnlySet<string>? textColumns, bool? pipelined = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return ReadCore(path, options, markers, textColumns, pipelined);
        }
        catch (CsvHelperException e)
        {
            long? line = e.Context?.Parser?.RawRow;
            throw new DataFormatException(path, line, null, $"malformed CSV ({FirstLine(e.Message)}).");
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new DataFormatException(path, null, null, "the file is not valid UTF-8 text.");
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, null, null, $"the gzip stream is corrupted ({e.Message}).");
        }
    }

    private static CsvTable ReadCore(string path, TableOptions options, MissingMarkers? markers, IReadOnlySet<string>? textColumns, bool? pipelined)
    {
        using var records = CsvRecordReader.Open(path, pipelined);
        var columns = CsvColumns.Resolve(path, records.Header, options, strict: markers is null, textColumns);
        using var converter = new RowConverter(path, columns, markers, records.ExpectedChars, threaded: records.IsPipelined);
        try
        {
            while (records.Read(out var record))
                converter.Add(record);
            converter.Complete();
        }
        catch
        {
            converter.Complete(); // an error the converter found on an earlier row comes first
            throw;
        }
        if (converter.Rows == 0)
            throw new DataFormatException(path, 2, null, "the header has no rows below it.");
        return new CsvTable(path, columns, converter.Features(), converter.Targets, converter.Reads, converter.Lines);
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
