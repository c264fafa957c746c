namespace Engine.Tests.Data;

/// <summary>
/// Edges of the CSV loader the other tests pass by: the badly-quoted and record-too-long messages word for word, an
/// unknown feature column, a header whose second byte is gzip's, a refused file closed again, the record limit at its
/// exact length and on the first record after the header, and a quoted missing value that must not make a later
/// unquoted number text.
/// </summary>
public sealed class CsvLoaderEdgeTests() : TempDirectoryTests("engine-csv-edge-")
{
    private int _count;

    private string Write(byte[] bytes, string suffix = ".csv")
    {
        string path = Path.Combine(Dir, $"f{++_count}{suffix}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string text) => Write(new UTF8Encoding(false).GetBytes(text));

    private string Refused(string path, CsvLoadOptions? options = null)
    {
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, options));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        return e.Message[(path.Length + 2)..];
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n1,2\"3,1\n", "line 3: badly quoted field '2\"3' (a quote inside an unquoted field, or an unclosed quote).")]
    [InlineData("a,\"b\"x,y\n1,2,0\n", "line 1: badly quoted field '\"b\"x' (a quote inside an unquoted field, or an unclosed quote).")]
    public void ABadlyQuotedFieldIsQuotedInTheMessage(string text, string message)
    {
        Assert.Equal(message, Refused(Write(text)));
    }

    [Fact]
    public void AnUnknownFeatureColumnListsTheColumns()
    {
        Assert.Equal("line 1, column 'x': there is no such column; the columns are a, b, y.",
            Refused(Write("a,b,y\n1,2,0\n"), new CsvLoadOptions { Features = ["a", "x"] }));
    }

    [Fact]
    public void AHeaderWhoseSecondByteIsGzipsIsNotTakenForGzip()
    {
        // 'ċ' is C4 8B in UTF-8: the file's second byte is the second of gzip's magic bytes (1F 8B), its first is not
        string path = Write("ċ,y\n1,0\n2,1\n");
        var data = CsvDataset.Load(path);
        Assert.Equal(["ċ"], data.FeatureNames);
        Assert.Equal(new float[] { 1, 2 }, data.Features.AsSpan().ToArray());
        // and a file that starts with 1F but not 8B is not gzip either (it is refused as text, not as a corrupt stream)
        string other = Write([0x1f, .. "a,y\n1,0\n"u8]);
        Assert.DoesNotContain("gzip", Refused(other), StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> RefusedFiles => new()
    {
        { ".csv", ""u8.ToArray() },                                      // refused while reading the header
        { ".csv", "a;b;y\n1;2;0\n"u8.ToArray() },
        { ".csv", "a,b,y\n1,2,0\n1,x,1\n"u8.ToArray() },                 // refused while converting rows
        { ".csv", "a,b,y\n1,2,0\n1,2\n"u8.ToArray() },
        { ".csv.gz", [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] }, // a corrupt gzip stream
        { ".csv.gz", CsvInputTests.Gzip("a,b,y\n1,2,0\n"u8.ToArray())[..^4] }, // a truncated one
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public void ARefusedFileIsClosed(string suffix, byte[] bytes)
    {
        string path = Write(bytes, suffix);
        foreach (bool pipelined in new[] { false, true })
        {
            Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, null, pipelined));
            // an open handle (a shared lock) would make the exclusive open fail
            using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
    }

    [Fact]
    public void ARecordOfExactlyTheLimitIsRead()
    {
        // a file this small is taken in one read: the header record and its line end are the 6 characters counted
        string path = Write("ab,cd\n");
        using (var reader = CsvRecordReader.Open(path, pipelined: false, maxRecordChars: 6))
            Assert.Equal(["ab", "cd"], reader.Header);
        var e = Assert.Throws<DataFormatException>(() => CsvRecordReader.Open(path, pipelined: false, maxRecordChars: 5));
        Assert.Equal($"{path}: line 1: a record longer than 5 characters — an unclosed quote, or not a CSV file?", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ATooLongFirstRecordIsNamedByTheLineAfterTheHeader(bool pipelined)
    {
        // the header's characters are not the first record's: the limit starts again, and the record is on line 2
        const int limit = (1 << 16) + 4096; // the parser reads ahead at most one 64 K buffer
        string path = Write("a,b,y\n\"" + new string('x', 3 * limit));
        using var reader = CsvRecordReader.Open(path, pipelined, limit);
        var e = Assert.Throws<DataFormatException>(() => reader.Read(out _));
        Assert.Equal(2, e.Line);
        Assert.Equal($"{path}: line 2: a record longer than {limit:N0} characters — an unclosed quote, or not a CSV file?", e.Message);
    }

    [Fact]
    public void AQuotedMissingValueLeavesALaterUnquotedNumberANumber()
    {
        // row 2's column a is a quoted empty field (missing); row 3 has a quote elsewhere, so it is scanned again:
        // column a's mark from row 2 must not stay, or 5 would be read as quoted, i.e. text
        string path = Write("a,b,y\n\"\",x,0\n5,\"z\",1\n7,w,0\n");
        var table = DataTable.ReadCsv(path);
        Assert.Equal(ColumnKind.Numeric, table.Columns.Single(c => c.Name == "a").Kind);
        int a = table.NumericColumns.ToList().FindIndex(c => c.Name == "a");
        Assert.True(float.IsNaN(table.Numeric[0, a]));
        Assert.Equal(5f, table.Numeric[1, a]);
        Assert.Equal(7f, table.Numeric[2, a]);
    }
}
