using CsvHelper;

namespace Engine.Data;

/// <summary>
/// The raw result of reading a CSV: float features and the target column's text, with each row's line. Reading
/// runs the stages in turn: <see cref="CsvRecordReader"/> (text and records), <see cref="CsvColumns"/> (which
/// column is what), <see cref="RowConverter"/> (records to numbers, on its own thread for large files).
/// </summary>
internal sealed record CsvTable(string Path, CsvColumns Columns, Matrix<float> Features, List<string> TargetText, List<long> Lines)
{
    /// <summary>
    /// Reads the file's header and rows (the target only when <paramref name="requireTarget"/>); anything malformed is
    /// a <see cref="DataFormatException"/>, the first in file order. <paramref name="pipelined"/> null: by file size.
    /// </summary>
    public static CsvTable Read(string path, CsvLoadOptions options, bool requireTarget, bool? pipelined = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return ReadCore(path, options, requireTarget, pipelined);
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

    private static CsvTable ReadCore(string path, CsvLoadOptions options, bool requireTarget, bool? pipelined)
    {
        using var records = CsvRecordReader.Open(path, pipelined);
        var columns = CsvColumns.Resolve(path, records.Header, options, requireTarget);
        using var converter = new RowConverter(path, columns, records.ExpectedChars, threaded: records.IsPipelined);
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
        return new CsvTable(path, columns, converter.Features(), converter.Targets, converter.Lines);
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
