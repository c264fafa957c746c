namespace Engine.Data;

/// <summary>
/// Loads all-numeric CSV files (header row, comma-separated, invariant culture; .gz read transparently) with
/// CsvHelper's parser, straight into one contiguous float array. Anything malformed, a missing value or a text
/// feature included, is refused with a <see cref="DataFormatException"/> naming the file, line and column; nothing
/// else is thrown for bad content. <see cref="DataTable.ReadCsv(string, TableOptions?)"/> reads the same files with text columns and
/// missing values.
/// </summary>
public static class CsvDataset
{
    /// <summary>Integer targets with at most this many distinct values are taken as classes when the task is not given.</summary>
    public const int MaxAutoClasses = TargetEncoder.MaxAutoClasses;

    /// <summary>Loads a dataset: features and a target column, as <paramref name="options"/> choose.</summary>
    public static Dataset Load(string path, CsvLoadOptions? options = null) => Load(path, options, pipelined: null);

    /// <summary>Loads only the named feature columns (for prediction: a target column may be absent).</summary>
    public static Matrix<float> LoadFeatures(string path, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        return CsvTable.Read(path, new CsvLoadOptions { Features = featureNames }, requireTarget: false).Features;
    }

    /// <summary>Loads a dataset, choosing whether decoding runs on its own thread (tests run both ways; null: by size).</summary>
    internal static Dataset Load(string path, CsvLoadOptions? options, bool? pipelined)
    {
        options ??= new CsvLoadOptions();
        var table = CsvTable.Read(path, options, requireTarget: true, pipelined);
        var (task, targets, classes, _) = TargetEncoder.Encode(path, table.Columns.TargetName, table.TargetText, table.Lines,
            options.ToTableOptions(requireTarget: true), table: false, quoted: false);
        return new Dataset(table.Features, targets, table.Columns.FeatureNames, table.Columns.TargetName, task, classes, path);
    }
}
