namespace Engine.Tests.Data;

/// <summary>
/// The CSV loader's messages word for word, for the problems the error tests only check the place of: a file separated
/// by something else, header names, column selections, empty and infinite fields, an empty file, a directory or a
/// missing path, a gzip file whose trailer does not match; and the line a record with quoted line breaks starts on.
/// </summary>
public sealed class CsvMessageTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The message after "path: " of loading <paramref name="text"/> as <see cref="CsvDataset"/> does.</summary>
    private string Refused(string text, CsvLoadOptions? options = null)
    {
        string path = _temp.Write(text);
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, options));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        return e.Message[(path.Length + 2)..];
    }

    [Theory]
    [InlineData("a;b;y\n1;2;0\n", "the header has 1 column — is the file separated by ';'? mlp reads comma-separated files (convert it, e.g. with tr ';' ',').")]
    [InlineData("a\tb\ty\n1\t2\t0\n", "the header has 1 column — is the file separated by tabs? mlp reads comma-separated files (convert it, e.g. with tr '\\t' ',').")]
    [InlineData("a|b|y\n1|2|0\n", "the header has 1 column — is the file separated by '|'? mlp reads comma-separated files (convert it, e.g. with tr '|' ',').")]
    [InlineData("sep=;\na;y\n1;0\n", "line 1: the first line 'sep=;' is Excel's separator line, and mlp reads comma-separated files: remove that line and save the file with commas.")]
    public void AFileSeparatedByAnotherCharacterIsNamedWithItsFix(string text, string message)
    {
        Assert.EndsWith(message, Refused(text), StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderNamesAndColumnSelectionsAreChecked()
    {
        Assert.Equal("line 1: header column 2 has no name.", Refused("a,,y\n1,2,0\n"));
        Assert.Equal("line 1: the header has 1 column; at least a feature and a target are needed.", Refused("y\n0\n1\n"));
        Assert.Equal("line 1: target index 3 is outside the 3 columns.", Refused("a,b,y\n1,2,0\n", new CsvLoadOptions { TargetIndex = 3 }));
        Assert.Equal("line 1, column 'y': the target column cannot also be a feature.", Refused("a,b,y\n1,2,0\n", new CsvLoadOptions { Features = ["a", "y"] }));
        Assert.Equal("line 1: no feature columns were selected.", Refused("a,b,y\n1,2,0\n", new CsvLoadOptions { Features = [] }));
        // twelve columns are listed whole, more are cut after the twelfth
        string twelve = string.Join(",", Enumerable.Range(0, 12).Select(j => $"c{j}"));
        Assert.Equal($"line 1, column 'x': there is no such column; the columns are {twelve.Replace(",", ", ", StringComparison.Ordinal)}.",
            Refused($"{twelve}\n{string.Join(",", Enumerable.Repeat(0, 12))}\n", new CsvLoadOptions { Target = "x" }));
        Assert.Equal($"line 1, column 'x': there is no such column; the columns are {twelve.Replace(",", ", ", StringComparison.Ordinal)}, … (13 in all).",
            Refused($"{twelve},c12\n{string.Join(",", Enumerable.Repeat(0, 13))}\n", new CsvLoadOptions { Target = "x" }));
    }

    [Fact]
    public void AOneColumnFileNeedsATargetOnlyWhenOneIsRead()
    {
        // a table read without a target may have a single feature; a dataset needs a feature and a target
        string path = _temp.Write("a\n1\n2\n");
        var table = DataTable.ReadCsv(path, new TableOptions { TargetOptional = true });
        Assert.Equal(2, table.Count);
        Assert.Null(table.Targets);
    }

    [Fact]
    public void ColumnsCannotBeBothDroppedAndKept()
    {
        string path = _temp.Write("a,b,y\n1,x,0\n2,z,1\n");
        var ex = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(path, new TableOptions { Categorical = ["b"], Drop = ["b"] }));
        Assert.EndsWith("line 1, column 'b': the column is in both Categorical and Drop.", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(path, new TableOptions { Numeric = ["a"], Drop = ["a"] }));
        Assert.EndsWith("line 1, column 'a': the column is in both Numeric and Drop.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyAndInfiniteFieldsSayWhichTheyAre()
    {
        Assert.Equal("line 3, column 'b': the field is empty.", Refused("a,b,y\n1,2,0\n1,,1\n"));
        Assert.Equal("line 2, column 'a': 'Infinity': infinity is not allowed.", Refused("a,b,y\nInfinity,2,0\n"));
        Assert.Equal("line 2, column 'a': '-1e39': it is outside the float32 range.", Refused("a,b,y\n-1e39,2,0\n"));
    }

    [Fact]
    public void AnEmptyFileADirectoryAndAMissingPathAreNamed()
    {
        Assert.Equal("line 1: the file is empty (a header row is required).", Refused(""));
        var dir = Assert.Throws<DataFormatException>(() => CsvDataset.Load(_temp.Path));
        Assert.Equal($"{_temp.Path}: is a directory, not a CSV file.", dir.Message);
        string missing = System.IO.Path.Combine(_temp.Path, "nope.csv");
        Assert.Equal($"{missing}: file not found.", Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(missing)).Message);
        Assert.ThrowsAny<ArgumentException>(() => CsvDataset.Load(""));
    }

    [Fact]
    public void AnInvalidHeaderNameIsNamedByPosition()
    {
        string path = _temp.Write([.. "a,"u8, 0xC3, 0x28, .. ",y\n1,2,0\n"u8]);
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.Equal($"{path}: line 1: header column 2 is not valid UTF-8 text.", e.Message);
    }

    [Theory]
    [InlineData("a,b,y\r\n\"1\r\n\",x,0\r\n", 2)]            // a CRLF inside quotes is one line break
    [InlineData("a,b,y\n\"\"\"1\n2\",x,0\n", 2)]            // an escaped quote, then a line break still inside the quotes
    [InlineData("a,b,y\n1,2,0\n\"q\"\"\r\n\r\n\",x,0\n", 3)] // an escaped quote and two CRLFs
    public void ARecordWithQuotedLineBreaksIsNamedByTheLineItStartsOn(string text, long line)
    {
        string path = _temp.Write(text);
        var e = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(path, new TableOptions { Numeric = ["b"] }));
        Assert.Equal(line, e.Line);
        Assert.Equal("b", e.Column);
    }

    [Fact]
    public void ALastTextColumnOfACrlfFileKeepsNoLineEnd()
    {
        string path = _temp.Write("x,y\r\n1,cat\r\n2,dog\r\n3,cat\r\n");
        var table = DataTable.ReadCsv(path);
        Assert.Equal(["cat", "dog"], table.ClassNames!);
    }

    [Theory]
    [InlineData(8)] // the whole trailer cut off: the deflate data end cleanly, .NET's GZipStream says nothing
    [InlineData(3)] // most of the length cut off
    public void AGzipFileCutShortIsRefusedAsTruncated(int cut)
    {
        const string text = "a,b,y\n1,2,0\n3,4,1\n";
        byte[] gz = CsvInputTests.Gzip(Encoding.UTF8.GetBytes(text))[..^cut];
        string path = _temp.Write(gz, ".csv.gz");
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.Equal($"{path}: the gzip stream is truncated: it ends after {text.Length} bytes of text without a matching trailer (CRC-32 and length); was the file cut short?", e.Message);
        Assert.Equal(2, CsvDataset.Load(_temp.Write(CsvInputTests.Gzip(Encoding.UTF8.GetBytes(text)), ".csv.gz")).Count); // the same file untouched loads
    }

    [Fact]
    public void AGzipFileWhoseTrailerLiesIsRefusedAsCorrupted()
    {
        // .NET's GZipStream checks a trailer that is there: a flipped CRC-32 bit is its error, passed on
        byte[] gz = CsvInputTests.Gzip(Encoding.UTF8.GetBytes("a,b,y\n1,2,0\n3,4,1\n"));
        gz[^8] ^= 0x01;
        string path = _temp.Write(gz, ".csv.gz");
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.StartsWith($"{path}: the gzip stream is corrupted (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(").", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFeaturesNeedsTheirNames()
    {
        string path = _temp.Write("a,b\n1,2\n");
        Assert.Equal("featureNames", Assert.Throws<ArgumentNullException>(() => CsvDataset.LoadFeatures(path, null!)).ParamName);
    }

    [Fact]
    public void ADatasetTargetWithAnyTextIsClassificationHoweverManyNumbers()
    {
        // 30 distinct numbers and one word: a table would call the word a stray (a numeric target); CsvDataset's rule is
        // "classification when any target value is not a number" (CsvLoadOptions.Task)
        var text = new StringBuilder("a,y\n");
        for (int i = 0; i < 30; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i},{i * 1.5}\n");
        text.Append("1,oops\n");
        var data = CsvDataset.Load(_temp.Write(text.ToString()));
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(31, data.ClassCount);
    }
}
